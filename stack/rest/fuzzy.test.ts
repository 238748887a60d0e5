// The fuzzy set behind PostgREST's "Perhaps you meant …" hints (./fuzzy.ts), checked against the examples
// PostgREST documents for noRpcHint (src/PostgREST/Error.hs doctests, v14.17) and against hints its own test
// suite expects (test/spec/Feature/Query/RpcSpec.hs).
import { FuzzySet, grams, levenshteinNorm } from './fuzzy'
import { noRpcHint, type FunctionDef } from './schema'

test('grams of the normalized text, enclosed in "-"', () => {
  expect(grams('Say_Hi!', 3)).toEqual(['-sa', 'say', 'ayh', 'yhi', 'hi-'])
  expect(grams('ab', 2)).toEqual(['-a', 'ab', 'b-'])
  expect(levenshteinNorm('sayhell', 'sayhello')).toBeCloseTo(0.875)
  expect(levenshteinNorm('', '')).toBe(1)
})

test('exact (case-insensitive) matches score 1; below the minimum score nothing', () => {
  const set = FuzzySet.fromList(['Jurassic Park', 'Terminator', 'The Matrix'])
  expect(set.get('jurassic park')).toEqual([[1, 'Jurassic Park']])
  expect(set.getOne('percolator')).toBe('Terminator') // the package's README example
  expect(set.getOne('zzz', 0.75)).toBeUndefined()
})

const fn = (...names: string[]) => ({ args: names.map((name) => ({ name })) }) as unknown as FunctionDef

test("noRpcHint: Error.hs's documented examples", () => {
  const procs = ['test', 'another'] // api.test, api.another (private.other is in another schema)
  expect(noRpcHint('api', 'testt', ['val', 'param', 'name'], procs, [])).toBe('Perhaps you meant to call the function api.test')
  expect(noRpcHint('api', 'other', [], procs, [])).toBeNull()
  expect(noRpcHint('api', 'noclosealternative', [], procs, [])).toBeNull()
  const overloads = [fn('val', 'param', 'name'), fn('id', 'attr')]
  expect(noRpcHint('api', 'test', ['vall', 'pqaram', 'nam'], procs, overloads)).toBe(
    'Perhaps you meant to call the function api.test(name, param, val)',
  )
  expect(noRpcHint('api', 'test', ['val', 'param'], procs, overloads)).toBe(
    'Perhaps you meant to call the function api.test(name, param, val)',
  )
  expect(noRpcHint('api', 'test', ['id', 'attrs'], procs, overloads)).toBe('Perhaps you meant to call the function api.test(attr, id)')
  expect(noRpcHint('api', 'test', ['id'], procs, overloads)).toBe('Perhaps you meant to call the function api.test(attr, id)')
  expect(noRpcHint('api', 'test', ['noclosealternative'], procs, overloads)).toBeNull()
})

test('among similar names the closest wins as in PostgREST (RpcSpec: unnamed_int_param → unnamed_text_param)', () => {
  const names = ['unnamed_json_param', 'named_json_param', 'unnamed_text_param', 'unnamed_xml_param', 'unnamed_bytea_param', 'sayhello']
  expect(noRpcHint('test', 'unnamed_int_param', ['x', 'y'], names, [])).toBe(
    'Perhaps you meant to call the function test.unnamed_text_param',
  )
  expect(noRpcHint('test', 'sayhell', [], names, [])).toBe('Perhaps you meant to call the function test.sayhello')
  expect(noRpcHint('test', 'named_json_param', ['A', 'B', 'C'], names, [fn('data')])).toBeNull()
})
