/**
 * @jest-environment node
 */
// src/domain stays pure TypeScript: only relative domain imports and pure libraries (dayjs, qrcode-generator, jsbarcode's Code 128 encoder);
// no Taro, React, zustand or Supabase.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = __dirname
const sources = readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
const importRe =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g

it.each(sources)('%s imports only domain modules and pure libraries', (file) => {
  const text = readFileSync(join(dir, file), 'utf8')
  const specifiers = [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3])
  for (const spec of specifiers) {
    expect(spec).toMatch(/^(\.\/[\w.-]+|dayjs(\/.*)?|qrcode-generator|jsbarcode\/bin\/barcodes\/CODE128)$/)
  }
})
