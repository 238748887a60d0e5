/**
 * H5 production builds: the initial JS and CSS (the chunks index.html loads; every other screen stays a lazy
 * chunk) are written into index.html instead of being separate files (docs/performance.md, "H5 first screen
 * on Fast 3G"). On a slow network each file costs a round trip after index.html; inlined, the app arrives
 * with the page. A returning member loses nothing: the host serves index.html with `no-cache` and an ETag
 * (README, Deploy), so an unchanged app is one 304, as the separate hashed files were.
 *
 * A webpack plugin that runs last (after minification and content hashing): in index.html,
 * `<script defer src>` → `<script>` with the chunk's code at the end of <body>, in order (`#app` exists by
 * then, as it did for the deferred scripts); `<link rel="stylesheet">` → `<style>`; the inlined files are not
 * emitted. Their `.LICENSE.txt` files stay: the inlined code's banner still points at them (the third-party
 * notices ship with the app). `inlineFirstScreen` is the pure rewrite (config/inline-first-screen.test.ts).
 */
import type { Compilation, Compiler } from 'webpack'

const NAME = 'InlineFirstScreen'
const SCRIPT = /<script defer="defer" src="(?:\.\/)?([^"]+\.js)"><\/script>/g
const STYLESHEET = /<link href="(?:\.\/)?([^"]+\.css)" rel="stylesheet">/g

/**
 * index.html with the files `read` knows (by path relative to the page) inlined; the paths it inlined. A
 * file `read` does not know keeps its tag.
 */
export function inlineFirstScreen(html: string, read: (file: string) => string | undefined): { html: string; inlined: string[] } {
  const inlined: string[] = []
  const scripts: string[] = []
  const take = (file: string) => {
    const text = read(file)
    if (text !== undefined) inlined.push(file)
    return text
  }
  let out = html.replace(SCRIPT, (tag, file: string) => {
    const code = take(file)
    if (code === undefined) return tag
    scripts.push(`<script>${code.replace(/<\/(script)/gi, '<\\/$1')}</script>`)
    return ''
  })
  out = out.replace(STYLESHEET, (tag, file: string) => {
    const css = take(file)
    return css === undefined ? tag : `<style>${css.replace(/<\/(style)/gi, '<\\/$1')}</style>`
  })
  // a function, not a string: `$&`, `$'`… in the code are not replacement patterns
  if (scripts.length) out = out.replace('</body>', () => `${scripts.join('')}</body>`)
  return { html: out, inlined }
}

export class InlineFirstScreen {
  apply(compiler: Compiler): void {
    const { RawSource } = compiler.webpack.sources
    compiler.hooks.thisCompilation.tap(NAME, (compilation: Compilation) => {
      compilation.hooks.processAssets.tap({ name: NAME, stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const page = compilation.getAsset('index.html')
        if (!page) return
        const { html, inlined } = inlineFirstScreen(page.source.source().toString(), (file) =>
          compilation.getAsset(file)?.source.source().toString(),
        )
        compilation.updateAsset('index.html', new RawSource(html))
        for (const file of inlined) {
          // unlink its related assets first: deleteAsset would delete the .LICENSE.txt with it
          compilation.updateAsset(
            file,
            (source) => source,
            (info) => ({ ...info, related: {} }),
          )
          compilation.deleteAsset(file)
        }
      })
    })
  }
}
