import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import path from 'node:path'
import type Chain from 'webpack-chain'

import { assertProductionBuildEnv } from './build-env'
import devConfig from './dev'
import { earlyMeScript } from './early-me'
import { InlineFirstScreen } from './inline-first-screen'
import prodConfig from './prod'
import { themeBrand, themeColors } from './theme-colors'

/**
 * AntV F2 (the dashboard's charts, manager subpackage only) imports `tslib`, which Taro's runtime imports
 * too. Shared, tslib would become one module in the main package / initial chunk with every helper F2 uses;
 * F2's own copy (the same file under another path) keeps it with F2.
 */
function keepF2Helpers(chain: Chain) {
  chain.module
    .rule('f2-tslib')
    .test(/[\\/]node_modules[\\/]@antv[\\/]/)
    .resolve.alias.set('tslib$', 'tslib/tslib.es6.js')
}

/** Every stylesheet first loads the theme with `$brand` set (docs/client.md, "Theme"). */
function themeBrandOverride() {
  const brand = themeBrand()
  if (!brand) return undefined
  const theme = path.join(__dirname, '..', 'src', 'styles', 'theme.scss').split(path.sep).join('/')
  return { data: `@use '${theme}' with ($brand: ${brand});\n` }
}

// https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(async (merge, { command }) => {
  // `taro build` without --watch: refuse to bake in the .env.production placeholder or an empty / secret key
  // (config/build-env.ts; ALLOW_UNCONFIGURED_BUILD=1 for builds that are not shipped)
  if (command === 'build' && process.env.NODE_ENV === 'production') {
    try {
      assertProductionBuildEnv(process.env)
    } catch (err) {
      // the message alone (a thrown config error would end in Taro's misleading "config file not found")
      console.error(`\n${(err as Error).message}\n`)
      process.exit(1)
    }
  }
  const outputRoot = process.env.TARO_OUTPUT_ROOT ?? `dist/${process.env.TARO_ENV}`
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'jifen-member',
    date: '2025-01-01',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // dist/weapp and dist/h5 side by side; project.config.json points WeChat DevTools at dist/weapp/.
    // TARO_OUTPUT_ROOT lets the browser tests build into a temp folder without touching dist/.
    outputRoot,
    plugins: [],
    // the theme's colours that code paints with (src/styles/colors.ts)
    defineConstants: { THEME_COLORS: JSON.stringify(themeColors()) },
    // the mini-program's sitemap (app.config sitemapLocation): which pages WeChat search may index
    copy: {
      patterns: process.env.TARO_ENV === 'weapp' ? [{ from: 'src/sitemap.json', to: `${outputRoot}/sitemap.json` }] : [],
      options: {},
    },
    // THEME_BRAND=#0a7cff builds the app with another brand colour, as a brand would by editing `$brand` in
    // src/styles/theme.scss: for the re-skin screenshots (test/theme-screens.ts), never for a shipped build
    sass: themeBrandOverride(),
    framework: 'react',
    compiler: 'webpack5',
    // a THEME_BRAND build must not reuse stylesheets compiled with the default brand
    cache: { enable: !process.env.THEME_BRAND },
    mini: {
      // Transpile dependencies that ship ES2020+ syntax (optional chaining…) for older WeChat engines.
      compile: {
        include: [(filename: string) => /node_modules[\\/](@supabase|headers-polyfill|set-cookie-parser)[\\/]/.test(filename)],
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        keepF2Helpers(chain)
        // The mini-program has no `Headers`, which @supabase/postgrest-js constructs. Like Taro does for
        // URL / URLSearchParams, resolve the free identifier at build time rather than patching a global
        // (`globalThis` is missing on older WeChat base libraries).
        chain.plugin('providerPlugin').tap(([definitions]) => [{ ...definitions, Headers: ['headers-polyfill', 'Headers'] }])
      },
    },
    h5: {
      webpackChain(chain) {
        keepF2Helpers(chain)
        // index.html's inline script that asks for `me` while the JS downloads (config/early-me.ts)
        chain
          .plugin('htmlWebpackPlugin')
          .tap(([options]) => [
            { ...options, earlyMe: earlyMeScript(process.env.TARO_APP_SUPABASE_URL ?? '', process.env.TARO_APP_SUPABASE_ANON_KEY ?? '') },
          ])
        // production: the initial JS and CSS inside index.html (config/inline-first-screen.ts)
        if (process.env.NODE_ENV === 'production') chain.plugin('inlineFirstScreen').use(InlineFirstScreen)
      },
      // Hash router: the build works from any static host / sub-path (publicPath per mode in dev.ts / prod.ts).
      staticDirectory: 'static',
      router: { mode: 'hash' },
      devServer: { host: '127.0.0.1', port: Number(process.env.TARO_DEV_PORT ?? 10086) },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
