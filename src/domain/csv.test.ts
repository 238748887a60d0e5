import { firstField, splitRecords } from './csv'

test('splitRecords: lines outside quotes; quoted line breaks, commas and quotes stay in their value', () => {
  expect(splitRecords('\n')).toEqual([])
  expect(splitRecords('')).toEqual([])
  expect(splitRecords('id,name\n1,a')).toEqual(['id,name', '1,a'])
  expect(splitRecords('id,note\n1,"two\nlines"\n2,"a, ""b"""')).toEqual(['id,note', '1,"two\nlines"', '2,"a, ""b"""'])
})

test('splitRecords turns record_out’s doubled backslashes inside quotes into RFC 4180 (one backslash)', () => {
  expect(splitRecords('id,path\n1,"C:\\\\dir\\\\x"\n2,"\\\\"')).toEqual(['id,path', '1,"C:\\dir\\x"', '2,"\\"'])
  expect(() => splitRecords('id\n"open')).toThrow()
})

test('firstField: the key column, plain or quoted', () => {
  expect(firstField('123,x,y')).toBe('123')
  expect(firstField('2026-12-06')).toBe('2026-12-06')
  expect(firstField('"a ""b"", c",x')).toBe('a "b", c')
})
