import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { h5Sizes, packageSizes, sizeReport } from './size'

test('splits a built mini-program into the main package and its subpackages', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weapp-size-'))
  try {
    const write = (rel: string, bytes: number) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      writeFileSync(path.join(dir, rel), Buffer.alloc(bytes))
    }
    writeFileSync(
      path.join(dir, 'app.json'),
      JSON.stringify({ pages: ['pages/home/index'], subPackages: [{ root: 'member' }, { root: 'staff/' }] }),
    )
    const appJson = JSON.stringify({ pages: ['pages/home/index'], subPackages: [{ root: 'member' }, { root: 'staff/' }] }).length
    write('app.js', 1000)
    write('pages/home/index.js', 500)
    write('member/mall/index.js', 300)
    write('member-extra.js', 7) // not inside member/
    write('staff/scan/index.js', 200)
    expect(packageSizes(dir)).toEqual({
      main: appJson + 1000 + 500 + 7,
      subpackages: { member: 300, staff: 200 },
      total: appJson + 1000 + 500 + 7 + 300 + 200,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('H5: the first load is index.html and the scripts it still loads, gzipped; the report prints both targets and fails over budget', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'size-'))
  try {
    const write = (rel: string, content: string | Buffer) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      writeFileSync(path.join(dir, rel), content)
    }
    write('h5/index.html', '<script defer="defer" src="/js/app.1.js"></script><script src="js/vendors.2.js"></script>')
    write('h5/js/app.1.js', 'console.log("app")\n'.repeat(100))
    write('h5/js/vendors.2.js', 'var v = 1\n'.repeat(100))
    write('h5/js/lazy.3.js', randomBytes(4096))
    const sizes = h5Sizes(path.join(dir, 'h5'))
    expect(sizes.initialFiles).toEqual(['index.html', 'js/app.1.js', 'js/vendors.2.js'])
    expect(sizes.initialGzip).toBeGreaterThan(0)
    expect(sizes.allGzip).toBeGreaterThan(sizes.initialGzip + 1000) // the incompressible lazy chunk

    expect(sizeReport(dir).lines[0]).toMatch(/weapp: .* not found/)
    write('weapp/app.json', JSON.stringify({ pages: ['pages/home/index'] }))
    write('weapp/app.js', Buffer.alloc(1024 * 1024 + 1))
    const report = sizeReport(dir)
    expect(report.lines[0]).toMatch(/^weapp main package: 1024\.\d KB = 50% of WeChat's 2048\.0 KB limit \(budget 1024\.0 KB\)/)
    expect(report.lines.at(-1)).toMatch(
      /^h5 gzipped: first load .* \(index.html with its inline JS and CSS \+ 2 scripts\); with every lazy chunk /,
    )
    expect(report.failures).toEqual([expect.stringMatching(/over budget/)])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
