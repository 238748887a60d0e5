// npm run check:weapp [dir] — the built mini-program (default dist/weapp) checked by WeChat's own tools, offline:
//  1. structure: every page in app.json has its .js / .json / .wxml, and the sitemap app.json names exists;
//  2. WXML: WeChat's compiler `wcc` over every page, component and .wxs at once, as DevTools compiles them;
//  3. WXSS: WeChat's compiler `wcsc` over every stylesheet;
//  4. code quality: miniprogram-ci's checkCodeQuality (package sizes, compression, lazy code loading, unused
//     files…), every advisory an error unless listed in ACCEPTED_ADVISORIES with the reason.
// Fails (exit 1) on any error, printing file:line:col as the compilers report them. `wcc` / `wcsc` are the Linux
// builds shipped in the npm package miniprogram-compiler (2019–2020 builds: newer syntax DevTools accepts may be
// refused); miniprogram-ci runs with a stubbed `attr` (no network) in a child process with a temp cwd (it never
// exits by itself and leaves empty folders in its cwd). docs/client.md "Mini-program packaging".
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.join(__dirname, '..')

/** Advisories of checkCodeQuality that are accepted, by name, with the reason (none today). */
export const ACCEPTED_ADVISORIES: Readonly<Record<string, string>> = {}

export interface CheckReport {
  errors: string[]
  notes: string[]
}

function compilerPath(name: 'wcc' | 'wcsc'): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`WeChat's ${name} is run from its Linux x86-64 build here (this is ${process.platform}/${process.arch})`)
  }
  const file = require.resolve(`miniprogram-compiler/bin/linux/${name}`)
  // the package ships the binaries without the executable bit; set it here (never by an install script)
  if ((statSync(file).mode & 0o111) !== 0o111) chmodSync(file, 0o755)
  return file
}

/** Files under `dir` with extension `ext`, relative, '/'-separated, sorted. */
function filesWith(dir: string, ext: string): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child)
      } else if (entry.name.endsWith(ext)) out.push(child)
    }
  }
  walk('')
  return out.sort()
}

function readJson(file: string): any {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/** The pages app.json declares, main package and subpackages ('member/mall/index'). */
export function appPages(dir: string): string[] {
  const app = readJson(path.join(dir, 'app.json'))
  if (!app) return []
  const sub = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].flatMap((p: { root: string; pages: string[] }) =>
    p.pages.map((page) => `${p.root.replace(/\/+$/, '')}/${page}`),
  )
  return [...(app.pages ?? []), ...sub]
}

/** 1. app.json, every page's files, the sitemap. */
export function checkStructure(dir: string): string[] {
  const errors: string[] = []
  const app = readJson(path.join(dir, 'app.json'))
  if (!app) return [`${dir}/app.json: missing or not JSON (npm run build:weapp)`]
  for (const page of appPages(dir)) {
    for (const ext of ['.js', '.json', '.wxml']) {
      if (!existsSync(path.join(dir, page + ext))) errors.push(`${page}${ext}: missing (declared in app.json)`)
    }
  }
  if (app.sitemapLocation && !existsSync(path.join(dir, app.sitemapLocation))) {
    errors.push(`${app.sitemapLocation}: missing (app.json sitemapLocation)`)
  } else if (!app.sitemapLocation) {
    errors.push('app.json: no sitemapLocation (WeChat DevTools warns and indexes every page)')
  }
  return errors
}

function run(bin: string, args: string[], cwd: string) {
  const res = spawnSync(bin, args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })
  if (res.error) throw res.error
  return res
}

/** Compiler output lines worth showing (wcsc ends every run with an unhelpful 'error file count: 0'). */
const messages = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^error file count: \d+$/.test(l))

/**
 * 2. `wcc` over every .wxml (and .wxs) at once, with each page's and component's usingComponents, the way
 * miniprogram-compiler / DevTools call it. Returns the errors (file:line:col: message).
 */
export function compileWxml(dir: string): string[] {
  const wxml = filesWith(dir, '.wxml')
  if (!wxml.length) return ['no .wxml files']
  const withComponents = wxml
    .map((file) => ({ file, using: readJson(path.join(dir, file.replace(/\.wxml$/, '.json')))?.usingComponents }))
    .filter((f) => f.using && Object.keys(f.using).length)
  const componentArgs = [
    withComponents.length,
    ...withComponents.flatMap((f) => [f.file, Object.keys(f.using).length, ...Object.keys(f.using)]),
  ]
  const res = run(compilerPath('wcc'), ['-d', '-cc', componentArgs.join(' '), ...wxml, ...filesWith(dir, '.wxs'), '-gn', '$gwx'], dir)
  if (res.status === 0) return []
  const lines = messages(res.stderr)
  return lines.length ? lines.map((l) => `wcc: ${l}`) : [`wcc exited with ${res.status} and no message`]
}

/** 3. `wcsc` over every .wxss (a component's stylesheet first, as miniprogram-compiler orders them). */
export function compileWxss(dir: string): string[] {
  const wxss = filesWith(dir, '.wxss')
  if (!wxss.length) return []
  const isComponent = (file: string) => existsSync(path.join(dir, file.replace(/\.wxss$/, '.json')))
  const ordered = [...wxss.filter(isComponent), ...wxss.filter((f) => !isComponent(f))]
  const res = run(compilerPath('wcsc'), ['-db', '-pc', String(wxss.filter(isComponent).length), ...ordered], dir)
  const lines = messages(res.stderr)
  if (res.status === 0 && !lines.some((l) => l.startsWith('ERR'))) return []
  return lines.length ? lines.map((l) => `wcsc: ${l}`) : [`wcsc exited with ${res.status} and no message`]
}

/** What miniprogram-ci's checkCodeQuality answers: one row per rule. */
export interface QualityRow {
  name: string
  success: boolean
  text: string
  detail?: unknown
}

/** The child process: miniprogram-ci offline (attr stubbed), checkCodeQuality, JSON on stdout, then exit. */
const QUALITY_CHILD = `
const ci = require(process.env.MINIPROGRAM_CI)
;(async () => {
  try {
    const project = new ci.Project({
      appid: 'wx0000000000000000', type: 'miniProgram', projectPath: process.argv[1], privateKeyPath: process.argv[2],
      ignores: ['node_modules/**/*'],
      attr: async () => ({ platform: false, appType: 0, isSandbox: false, released: false, setting: {}, gameApp: false,
        isGameTourist: false, canUseQuickApp: false }),
    })
    const rows = await ci.checkCodeQuality(project)
    process.stdout.write('\\n@@QUALITY@@' + JSON.stringify(rows))
    process.exit(0)
  } catch (err) {
    process.stderr.write(String(err && err.stack || err))
    process.exit(2)
  }
})()`

/** 4. miniprogram-ci's checkCodeQuality over `dir` (its project.config.json and app.json). */
export function codeQuality(dir: string): QualityRow[] {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'weapp-quality-'))
  try {
    const key = path.join(tmp, 'private.key') // any key file: nothing is uploaded
    writeFileSync(key, '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n')
    const res = spawnSync(process.execPath, ['-e', QUALITY_CHILD, path.resolve(dir), key], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, MINIPROGRAM_CI: require.resolve('miniprogram-ci', { paths: [ROOT] }) },
    })
    const marker = res.stdout?.indexOf('@@QUALITY@@') ?? -1
    if (res.status !== 0 || marker < 0) {
      throw new Error(`miniprogram-ci checkCodeQuality failed (${res.signal ?? res.status}):\n${res.stderr}\n${res.stdout}`)
    }
    return JSON.parse(res.stdout.slice(marker + '@@QUALITY@@'.length))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** The failing rows as errors, the accepted ones and the package sizes as notes. */
export function qualityReport(rows: QualityRow[]): CheckReport {
  const errors: string[] = []
  const notes: string[] = []
  for (const row of rows) {
    if (row.name === 'PACKAGE_SIZE_LIMIT' && row.detail && typeof row.detail === 'object') {
      const sizes = Object.entries(row.detail as Record<string, number>).map(
        ([pkg, bytes]) => `${pkg === '__APP__' ? 'main' : pkg} ${(bytes / 1024).toFixed(0)} KB`,
      )
      notes.push(`quality: packages ${sizes.join(', ')}`)
    }
    if (row.success) continue
    const detail = row.detail === undefined ? '' : ` ${JSON.stringify(row.detail)}`
    if (ACCEPTED_ADVISORIES[row.name]) notes.push(`quality: ${row.name} (${row.text}) accepted: ${ACCEPTED_ADVISORIES[row.name]}`)
    else errors.push(`quality: ${row.name}: ${row.text}${detail}`)
  }
  return { errors, notes }
}

/** All four checks; `quality: false` skips miniprogram-ci (the slowest part, ≈ 2 s). */
export function checkWeapp(dir: string, opts: { quality?: boolean } = {}): CheckReport {
  const structure = checkStructure(dir)
  if (structure.some((e) => e.includes('app.json: missing'))) return { errors: structure, notes: [] }
  const errors = [...structure, ...compileWxml(dir), ...compileWxss(dir)]
  const notes = [
    `wcc: ${filesWith(dir, '.wxml').length} .wxml, ${filesWith(dir, '.wxs').length} .wxs; wcsc: ${filesWith(dir, '.wxss').length} .wxss; ${appPages(dir).length} pages`,
  ]
  if (opts.quality !== false) {
    const quality = qualityReport(codeQuality(dir))
    errors.push(...quality.errors)
    notes.push(...quality.notes)
  }
  return { errors, notes }
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist/weapp'))
  const { errors, notes } = checkWeapp(dir)
  for (const note of notes) console.log(note)
  if (errors.length) {
    console.error(`check:weapp: ${errors.length} error(s) in ${path.relative(process.cwd(), dir) || dir}:`)
    for (const error of errors) console.error(`  ${error}`)
    process.exit(1)
  }
  console.log(`check:weapp: ${path.relative(process.cwd(), dir) || dir} passes WeChat's wcc, wcsc and code-quality check`)
}
