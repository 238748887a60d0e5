// The H5 build's first screen inside index.html (config/inline-first-screen.ts): the pure rewrite.
import { inlineFirstScreen } from './inline-first-screen'

const PAGE =
  '<html><head><title>积分会员</title><script>early()</script><script defer="defer" src="./js/392.aa.js"></script>' +
  '<script defer="defer" src="./js/app.bb.js"></script><link href="./css/app.cc.css" rel="stylesheet"></head>' +
  '<body><div id="app"></div></body></html>'

test('the initial scripts move to the end of <body> in their order, the stylesheet becomes a <style>; the inline script stays first', () => {
  const files: Record<string, string> = { 'js/392.aa.js': 'vendor()', 'js/app.bb.js': 'app()', 'css/app.cc.css': '.a{color:red}' }
  const { html, inlined } = inlineFirstScreen(PAGE, (file) => files[file])
  expect(html).toBe(
    '<html><head><title>积分会员</title><script>early()</script><style>.a{color:red}</style></head>' +
      '<body><div id="app"></div><script>vendor()</script><script>app()</script></body></html>',
  )
  expect(inlined).toEqual(['js/392.aa.js', 'js/app.bb.js', 'css/app.cc.css'])
})

test('code that would end the element early is escaped; `$&` and friends in the code are kept as they are', () => {
  const files: Record<string, string> = {
    'js/392.aa.js': 'a("</script>");b("$&$\'$`$1")',
    'js/app.bb.js': '',
    'css/app.cc.css': '.a::after{content:"</STYLE>"}',
  }
  const { html } = inlineFirstScreen(PAGE, (file) => files[file])
  expect(html).toContain('<script>a("<\\/script>");b("$&$\'$`$1")</script><script></script></body>')
  expect(html).toContain('<style>.a::after{content:"<\\/STYLE>"}</style>')
})

test('a file the build does not have keeps its tag', () => {
  const { html, inlined } = inlineFirstScreen(PAGE, (file) => (file === 'js/app.bb.js' ? 'app()' : undefined))
  expect(html).toContain('<script defer="defer" src="./js/392.aa.js"></script>')
  expect(html).toContain('<link href="./css/app.cc.css" rel="stylesheet">')
  expect(html).toContain('<div id="app"></div><script>app()</script></body>')
  expect(inlined).toEqual(['js/app.bb.js'])
})
