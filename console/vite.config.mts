// The operator console (总部运营后台): a static site built by Vite, talking to the Supabase URL with the anon key.
// The backend settings are the H5 app's: TARO_APP_SUPABASE_URL / TARO_APP_SUPABASE_ANON_KEY from the repository's
// .env.<mode> files or the environment. A production build refuses settings that cannot work (config/build-env.ts;
// ALLOW_UNCONFIGURED_BUILD=1 for builds that are not shipped, like the browser test's). The npm scripts set
// VITE_CONFIG_NATIVE_IGNORE_WARNING: Vite's future 'native' config loader could not load the CommonJS-style
// config/build-env.ts this file shares with the Taro build; today's bundling loader does.
import path from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, loadEnv } from 'vite'
import { assertProductionBuildEnv } from '../config/build-env'

const ROOT = path.resolve(import.meta.dirname, '..')

export default defineConfig(({ command, mode }) => {
  const env = { ...loadEnv(mode, ROOT, 'TARO_APP_'), ...process.env }
  if (command === 'build') assertProductionBuildEnv(env)
  return {
    root: import.meta.dirname,
    // relative asset paths: the build works from any static host or sub-path
    base: './',
    plugins: [react()],
    // the shared client code (src/services/config.ts) reads the H5 app's build-time variables
    define: {
      'process.env.TARO_APP_SUPABASE_URL': JSON.stringify(env.TARO_APP_SUPABASE_URL ?? ''),
      'process.env.TARO_APP_SUPABASE_ANON_KEY': JSON.stringify(env.TARO_APP_SUPABASE_ANON_KEY ?? ''),
    },
    server: { host: '127.0.0.1', port: Number(process.env.CONSOLE_DEV_PORT ?? 10087), strictPort: true },
    preview: { host: '127.0.0.1', port: Number(process.env.CONSOLE_DEV_PORT ?? 10087) },
    // CONSOLE_OUT_DIR: the browser test builds into its own temp folder
    build: { outDir: process.env.CONSOLE_OUT_DIR ?? path.join(ROOT, 'dist-console'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  }
})
