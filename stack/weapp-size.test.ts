import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { packageSizes } from './weapp-size'

test('splits a built mini-program into the main package and its subpackages', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weapp-size-'))
  try {
    const write = (rel: string, bytes: number) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      writeFileSync(path.join(dir, rel), Buffer.alloc(bytes))
    }
    writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ pages: ['pages/home/index'], subPackages: [{ root: 'member' }, { root: 'staff/' }] }))
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
