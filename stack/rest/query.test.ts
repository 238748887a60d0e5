// Query-string → SQL fragments: identifiers only from the column set, values only as parameters.
import { ApiError } from './errors'
import { readParts, splitList } from './query'

const columns = new Set(['id', 'name', 'price_fen'])

test('splitList honours double quotes and escapes', () => {
  expect(splitList('1,2, 3')).toEqual(['1', '2', '3'])
  expect(splitList('"a,b",c')).toEqual(['a,b', 'c'])
  expect(splitList('"say \\"hi\\"",x')).toEqual(['say "hi"', 'x'])
  expect(() => splitList('"open')).toThrow(ApiError)
})

test('filters become parameterised SQL; limit/offset come after the filter values', () => {
  const params: unknown[] = []
  const parts = readParts(
    new URLSearchParams('select=id,label:name&name=eq.x&price_fen=in.(1,2)&id=not.is.null&order=id.desc.nullslast&limit=5&offset=10'),
    columns,
    't',
    params,
  )
  expect(parts).toEqual({
    select: '"id", "name" as "label"',
    where: ' where "name" = $1 and "price_fen" = any($2) and not ("id" is null)',
    order: ' order by "id" desc nulls last',
    limitOffset: ' limit $3 offset $4',
    limit: 5,
    offset: 10,
    whereParams: 2,
  })
  expect(params).toEqual(['x', ['1', '2'], 5, 10])
})

test('unknown columns, operators and modifiers are refused with PostgREST codes', () => {
  const code = (q: string) => {
    try {
      readParts(new URLSearchParams(q), columns, 't', [])
    } catch (e) {
      return (e as ApiError).body.code
    }
    return 'accepted'
  }
  expect(code('secret=eq.1')).toBe('42703')
  expect(code('select=id,secret')).toBe('42703')
  expect(code('select=count(*)')).toBe('PGRST100')
  expect(code('id=regex.1')).toBe('PGRST100')
  expect(code('id=is.maybe')).toBe('PGRST100')
  expect(code('order=id.random')).toBe('PGRST100')
  expect(code('limit=ten')).toBe('PGRST100')
  expect(code('or=(id.eq.1,id.eq.2)')).toBe('PGRST100')
})
