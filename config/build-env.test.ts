// The production build guard: a placeholder, empty or secret backend setting refuses the build.
import { assertProductionBuildEnv, OPT_OUT_VAR, productionBuildProblems } from './build-env'

const jwt = (payload: object) =>
  ['{"alg":"HS256","typ":"JWT"}', JSON.stringify(payload)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.c2lnbmF0dXJl'
const ANON = jwt({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon' })
const SERVICE = jwt({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'service_role' })
const good = { TARO_APP_SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co', TARO_APP_SUPABASE_ANON_KEY: ANON }

test('a real project URL and anon key pass (JWT or publishable key; self-hosted and LAN URLs too)', () => {
  expect(productionBuildProblems(good)).toEqual([])
  expect(productionBuildProblems({ ...good, TARO_APP_SUPABASE_ANON_KEY: 'sb_publishable_AbC123_xyz' })).toEqual([])
  expect(productionBuildProblems({ ...good, TARO_APP_SUPABASE_URL: 'https://supabase.shop.cn/' })).toEqual([])
  expect(productionBuildProblems({ ...good, TARO_APP_SUPABASE_URL: 'http://192.168.1.20:54321' })).toEqual([])
  expect(() => assertProductionBuildEnv(good)).not.toThrow()
})

test('.env.production as committed (placeholder URL, empty key) is refused, naming both', () => {
  const problems = productionBuildProblems({ TARO_APP_SUPABASE_URL: 'https://YOUR-PROJECT.supabase.co', TARO_APP_SUPABASE_ANON_KEY: '' })
  expect(problems).toEqual([
    expect.stringMatching(/^TARO_APP_SUPABASE_URL is a placeholder \(https:\/\/YOUR-PROJECT\.supabase\.co\)/),
    'TARO_APP_SUPABASE_ANON_KEY is empty',
  ])
})

test.each([
  ['missing', undefined, /URL is empty/],
  ['blank', '  ', /URL is empty/],
  ['not a URL', 'abcdefghijklmnop.supabase.co', /not a URL/],
  ['not http(s)', 'ftp://abcdefghijklmnop.supabase.co', /must be http\(s\)/],
  ['lower-case placeholder', 'https://your-project.supabase.co', /placeholder/],
  ['example.com', 'https://example.com', /placeholder/],
  ['api.example.org', 'https://api.example.org', /placeholder/],
  [".invalid (the browser tests' build)", 'http://jifen-test-api.invalid', /placeholder/],
])('URL %s is refused', (_, url, message) => {
  expect(productionBuildProblems({ ...good, TARO_APP_SUPABASE_URL: url })).toEqual([expect.stringMatching(message)])
})

test.each([
  ['missing', undefined, /KEY is empty/],
  ['blank', ' ', /KEY is empty/],
  ['a placeholder', 'YOUR-ANON-KEY', /placeholder/],
  ['a template', '<anon key>', /placeholder/],
  ['a service_role JWT', SERVICE, /secret \(service_role\) key/],
  ['a secret key', 'sb_secret_AbC123', /secret \(service_role\) key/],
])('anon key %s is refused', (_, key, message) => {
  expect(productionBuildProblems({ ...good, TARO_APP_SUPABASE_ANON_KEY: key })).toEqual([expect.stringMatching(message)])
})

test('the guard throws one readable message with every problem and the way out; ALLOW_UNCONFIGURED_BUILD=1 opts out', () => {
  const env = { TARO_APP_SUPABASE_URL: 'https://YOUR-PROJECT.supabase.co', TARO_APP_SUPABASE_ANON_KEY: '' }
  expect(() => assertProductionBuildEnv(env)).toThrow(
    /Refusing a production build[\s\S]*YOUR-PROJECT[\s\S]*ANON_KEY is empty[\s\S]*\.env\.production\.local[\s\S]*ALLOW_UNCONFIGURED_BUILD=1/,
  )
  expect(() => assertProductionBuildEnv({ ...env, [OPT_OUT_VAR]: '1' })).not.toThrow()
  expect(() => assertProductionBuildEnv({ ...env, [OPT_OUT_VAR]: 'yes' })).toThrow()
})
