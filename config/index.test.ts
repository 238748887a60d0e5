// The Taro config: a mini-program build copies src/sitemap.json to its output, which app.config names.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.join(__dirname, '..')

async function configFor(taroEnv: string) {
  const saved = { TARO_ENV: process.env.TARO_ENV, NODE_ENV: process.env.NODE_ENV, TARO_OUTPUT_ROOT: process.env.TARO_OUTPUT_ROOT }
  Object.assign(process.env, { TARO_ENV: taroEnv, NODE_ENV: 'development' })
  delete process.env.TARO_OUTPUT_ROOT
  try {
    let config: any
    jest.isolateModules(() => {
      config = require('./index').default
    })
    const merge = (...objs: object[]) => Object.assign({}, ...objs)
    return await (typeof config === 'function' ? config(merge, { command: 'build', mode: 'development' }) : config)
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  }
}

test('weapp: src/sitemap.json is copied to dist/weapp/sitemap.json, and app.config points at it', async () => {
  const config = await configFor('weapp')
  expect(config.copy.patterns).toEqual([{ from: 'src/sitemap.json', to: 'dist/weapp/sitemap.json' }])
  const sitemap = JSON.parse(readFileSync(path.join(ROOT, 'src/sitemap.json'), 'utf8'))
  expect(sitemap.rules.at(-1)).toEqual({ action: 'disallow', page: '*' })
  expect(sitemap.rules).toContainEqual({ action: 'allow', page: 'pages/home/index' })
  for (const { page } of sitemap.rules.filter((r: { page: string }) => r.page !== '*')) {
    expect([page, existsSync(path.join(ROOT, 'src', `${page}.tsx`))]).toEqual([page, true])
  }
  expect(readFileSync(path.join(ROOT, 'src/app.config.ts'), 'utf8')).toMatch(/sitemapLocation: 'sitemap\.json'/)
})

test('h5: nothing to copy', async () => {
  expect((await configFor('h5')).copy.patterns).toEqual([])
})
