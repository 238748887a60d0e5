// npm run check:weapp on tiny fixture mini-programs: WeChat's wcc / wcsc refuse a bad template or style with
// file:line, miniprogram-ci's advisories fail the check, and a sound fixture passes.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkStructure, checkWeapp, compileWxml, compileWxss, qualityReport } from './weapp-check'

const ROOT = path.join(__dirname, '..')
let dirs: string[] = []
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs = []
})

/** A minimal built mini-program: one page using one component, settings as ours. */
function fixture(overrides: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weapp-fixture-'))
  dirs.push(dir)
  const files: Record<string, string | null> = {
    'app.json': JSON.stringify({
      pages: ['pages/a/index'],
      subPackages: [{ root: 'sub', pages: ['b/index'] }],
      sitemapLocation: 'sitemap.json',
      lazyCodeLoading: 'requiredComponents',
    }),
    'app.js': 'App({})',
    'app.wxss': 'page { color: #333; }\n',
    'sitemap.json': JSON.stringify({ rules: [{ action: 'allow', page: '*' }] }),
    'project.config.json': JSON.stringify({
      miniprogramRoot: './',
      appid: 'touristappid',
      compileType: 'miniprogram',
      setting: { minified: true, minifyWXSS: true, minifyWXML: true },
    }),
    'comp.json': JSON.stringify({ component: true, usingComponents: { comp: './comp' } }),
    'comp.js': 'Component({})',
    'comp.wxml': '<template name="x"><view>{{ i.v }}</view></template>\n',
    'pages/a/index.json': JSON.stringify({ usingComponents: { comp: '../../comp' } }),
    'pages/a/index.js': 'Page({})',
    'pages/a/index.wxml': '<view class="a">\n  <text>{{ n > 0 ? n : "无" }}</text>\n  <comp />\n</view>\n',
    'pages/a/index.wxss': '.a { margin: 0 8rpx; }\n.a text { color: red; }\n',
    'sub/b/index.json': '{}',
    'sub/b/index.js': 'Page({})',
    'sub/b/index.wxml': '<view>b</view>\n',
    ...overrides,
  }
  for (const [rel, content] of Object.entries(files)) {
    if (content === null) continue
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), content)
  }
  return dir
}

test('a sound mini-program passes wcc, wcsc, the structure and the code-quality check', () => {
  expect(checkWeapp(fixture())).toEqual({ errors: [], notes: expect.arrayContaining([expect.stringMatching(/^wcc: 3 \.wxml/)]) })
})

test('an unclosed tag: wcc refuses it with file:line:col', () => {
  const dir = fixture({ 'sub/b/index.wxml': '<view>\n  <text>b</view>\n' })
  expect(compileWxml(dir)).toEqual([expect.stringMatching(/^wcc: sub\/b\/index\.wxml:2:\d+: expect end-tag `text`/)])
})

test.each([
  ['optional chaining', '<view>{{ a?.b }}</view>'],
  ['an arrow function', '<view>{{ list.map(x => x) }}</view>'],
  ['an unclosed expression', '<view>{{ a </view>'],
])('%s in WXML: wcc refuses it', (_, wxml) => {
  expect(compileWxml(fixture({ 'pages/a/index.wxml': wxml }))).toEqual([expect.stringMatching(/^wcc: pages\/a\/index\.wxml:\d+:\d+/)])
})

test.each([
  ['a * selector', '.a { color: red; }\n* { margin: 0; }\n', /pages\/a\/index\.wxss\(2:1\): unexpected token `\*`/],
  ['nested CSS', '.a {\n  .b { color: red; }\n}\n', /pages\/a\/index\.wxss\(2:\d+\)/],
])('%s: wcsc refuses it with file(line:col)', (_, wxss, message) => {
  expect(compileWxss(fixture({ 'pages/a/index.wxss': wxss }))).toEqual([expect.stringMatching(message)])
})

test('a page app.json declares without its files, and a missing sitemap, are errors', () => {
  const dir = fixture({ 'sub/b/index.wxml': null, 'sitemap.json': null })
  expect(checkStructure(dir)).toEqual([
    'sub/b/index.wxml: missing (declared in app.json)',
    'sitemap.json: missing (app.json sitemapLocation)',
  ])
})

test("miniprogram-ci's advisories fail the check: compression off, lazy code loading off", () => {
  const dir = fixture({
    'app.json': JSON.stringify({
      pages: ['pages/a/index'],
      subPackages: [{ root: 'sub', pages: ['b/index'] }],
      sitemapLocation: 'sitemap.json',
    }),
    'project.config.json': JSON.stringify({
      miniprogramRoot: './',
      appid: 'touristappid',
      compileType: 'miniprogram',
      setting: { minified: false },
    }),
  })
  const names = checkWeapp(dir).errors.map((e) => e.split(':').slice(0, 2).join(':'))
  expect(names).toEqual([
    'quality: JS_COMPRESS_OPEN',
    'quality: WXML_COMPRESS_OPEN',
    'quality: WXSS_COMPRESS_OPEN',
    'quality: LAZYCODE_LOADING_OPEN',
  ])
})

test('qualityReport: failing rows are errors unless accepted; package sizes are a note', () => {
  const report = qualityReport([
    { name: 'PACKAGE_SIZE_LIMIT', success: true, text: 'ok', detail: { __APP__: 2048, 'sub/': 1024 } },
    { name: 'JS_COMPRESS_OPEN', success: false, text: 'JS compression is not turned on' },
  ])
  expect(report).toEqual({
    errors: ['quality: JS_COMPRESS_OPEN: JS compression is not turned on'],
    notes: ['quality: packages main 2 KB, sub/ 1 KB'],
  })
})

test('the CLI exits 1 and prints every error with its file and line (a bad template and a bad style)', () => {
  const dir = fixture({
    'pages/a/index.wxml': '<comp />\n<view>\n  <text>hi</view>\n',
    'pages/a/index.wxss': '.a { color: red; }\n* { margin: 0; }\n',
  })
  const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'stack/weapp-check.ts'), dir], { encoding: 'utf8' })
  expect(res.status).toBe(1)
  expect(res.stderr).toMatch(/check:weapp: 2 error\(s\)/)
  expect(res.stderr).toMatch(/wcc: pages\/a\/index\.wxml:3:\d+: expect end-tag `text`/)
  expect(res.stderr).toMatch(/wcsc: ERR: pages\/a\/index\.wxss\(2:1\): unexpected token `\*`/)
})
