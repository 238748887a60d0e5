// The CSV encoder of the local API (./csv.ts): record_out's quoting, PostgREST's layout (header, '\n' between
// lines, none at the end, a lone '\n' without rows), and the stream's back-pressure and clean-up.
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { csvLine, csvStream, recordField, type CsvSource, type Rows } from './csv'

test('values are written as record_out writes them', () => {
  expect(recordField(null)).toBe('')
  expect(recordField('')).toBe('""')
  expect(recordField('plain')).toBe('plain')
  expect(recordField('12.50')).toBe('12.50')
  expect(recordField('2026-12-06 05:00:00+00')).toBe('"2026-12-06 05:00:00+00"')
  expect(recordField('a,b')).toBe('"a,b"')
  expect(recordField('say "hi"')).toBe('"say ""hi"""')
  expect(recordField('C:\\path')).toBe('"C:\\\\path"')
  expect(recordField('(x)')).toBe('"(x)"')
  expect(recordField('two\nlines')).toBe('"two\nlines"')
  expect(recordField('tab\there')).toBe('"tab\there"')
  expect(recordField('{a,b}')).toBe('"{a,b}"')
  // only ASCII spaces force quotes (isspace on single bytes): not the ideographic space or NBSP
  expect(recordField('全角\u3000空格')).toBe('全角\u3000空格')
  expect(recordField('no\u00a0break')).toBe('no\u00a0break')
  expect(recordField('中文')).toBe('中文')
  expect(csvLine(['1', null, '', 'a b', 't'])).toBe('1,,"","a b",t')
})

function source(batches: Rows[], batchRows: number, columns = ['id', 'name']) {
  const calls = { next: 0, finish: [] as (Error | undefined)[] }
  const queue = [...batches]
  const first = queue.shift() ?? []
  const src: CsvSource = {
    columns,
    first,
    batchRows,
    next: async () => {
      calls.next++
      return queue.shift() ?? []
    },
    finish: async (err) => {
      calls.finish.push(err)
    },
  }
  return { src, calls }
}

async function collect(src: CsvSource): Promise<string> {
  let out = ''
  await pipeline(
    csvStream(src),
    new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString()
        cb()
      },
    }),
  )
  return out
}

test('layout: the header, rows separated by \\n, no \\n at the end; no rows: a lone \\n', async () => {
  const two = source([[['1', 'a']], []], 1)
  expect(await collect(two.src)).toBe('id,name\n1,a')
  expect(two.calls.finish).toEqual([undefined])
  const batches = source(
    [
      [
        ['1', 'a'],
        ['2', 'b'],
      ],
      [
        ['3', null],
        ['4', 'd e'],
      ],
      [['5', '']],
    ],
    2,
  )
  expect(await collect(batches.src)).toBe('id,name\n1,a\n2,b\n3,\n4,"d e"\n5,""')
  expect(batches.calls).toEqual({ next: 2, finish: [undefined] })
  const none = source([[]], 2)
  expect(await collect(none.src)).toBe('\n')
  expect(none.calls).toEqual({ next: 0, finish: [undefined] })
})

test('back-pressure: a reader that stops reading stops the batches; destroying the stream finishes with an error', async () => {
  const row = ['1', 'x'.repeat(1000)]
  const full: Rows = Array.from({ length: 100 }, () => row) // ~100 KB a batch, more than the high-water mark
  const calls = { next: 0, finish: [] as (Error | undefined)[] }
  const stream = csvStream({
    columns: ['id', 'pad'],
    first: full,
    batchRows: 100,
    next: async () => {
      calls.next++
      return full
    },
    finish: async (err) => {
      calls.finish.push(err)
    },
  })
  stream.read(1) // start it, then nobody reads
  await new Promise((r) => setTimeout(r, 100))
  expect(calls.next).toBeLessThanOrEqual(1)
  let taken = 0
  for (let i = 0; i < 20; i++) {
    const chunk = stream.read()
    if (chunk) taken += chunk.length
    await new Promise((r) => setImmediate(r))
  }
  expect(taken).toBeGreaterThan(0)
  expect(calls.next).toBeLessThanOrEqual(21)
  stream.destroy()
  await new Promise((r) => setImmediate(r))
  expect(calls.finish).toHaveLength(1)
  expect(calls.finish[0]).toBeInstanceOf(Error)
})

test('an error while reading a batch destroys the stream and finishes once, with the error', async () => {
  const calls: (Error | undefined)[] = []
  const stream = csvStream({
    columns: ['id'],
    first: [['1']],
    batchRows: 1,
    next: async () => {
      throw new Error('connection lost')
    },
    finish: async (err) => {
      calls.push(err)
    },
  })
  await expect(
    pipeline(
      stream,
      new Writable({
        write(_c, _e, cb) {
          cb()
        },
      }),
    ),
  ).rejects.toThrow('connection lost')
  expect(calls.map((e) => e?.message)).toEqual(['connection lost'])
})
