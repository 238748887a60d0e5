// `npm run stack` as a developer runs it: a child process on its own ports and data folder.
// Start → seeded API (and seeded Storage images) answers → db:reset while running → Ctrl-C (SIGINT) stops everything →
// restart keeps the data. No Postgres may be left running.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { LOCAL_ANON_KEY, LOCAL_SERVICE_ROLE_KEY, ROOT } from '../../stack/config'
import { runningPostgres } from '../../stack/pidfile'
import { freePort } from '../../stack/net'
import { interrupt, spawnStack, TSX } from '../support/stack-process'
import { tempDirForPostgres } from '../../stack/tmp'

let dir: string
let env: NodeJS.ProcessEnv
let apiUrl: string

beforeAll(async () => {
  dir = tempDirForPostgres('jifen-stack-')
  const [dbPort, apiPort] = [await freePort(), await freePort()]
  env = { ...process.env, STACK_DATA_DIR: path.join(dir, 'db'), STACK_DB_PORT: String(dbPort), STACK_API_PORT: String(apiPort) }
  apiUrl = `http://127.0.0.1:${apiPort}`
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const startStack = () => spawnStack(env)
const stop = interrupt

const rpc = (fn: string, body: unknown = {}, key = LOCAL_ANON_KEY) =>
  fetch(`${apiUrl}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

/** A seeded item picture from the public Storage URL (the files sit in <data folder's parent>/storage). */
const seedImage = async () => {
  const res = await fetch(`${apiUrl}/storage/v1/object/public/item-images/items/coupon-10.png`)
  return [res.status, res.headers.get('content-type'), (await res.arrayBuffer()).byteLength > 1000]
}
const SERVED = [200, 'image/png', true]

const postgresRunning = () => runningPostgres(path.join(dir, 'db')) !== undefined

test('start, serve, reset while running, stop on Ctrl-C, restart with data kept', async () => {
  const first = await startStack()
  expect(first.output()).toMatch(/applied \d+ migration\(s\) and the seed/)
  const program = await rpc('get_program')
  expect(program.status).toBe(200)
  expect((await program.json()).name).toBe('悦享咖啡会员')
  expect(await seedImage()).toEqual(SERVED)

  const created = await (await rpc('register_member', { p_provider: 'dev', p_subject: '13311112222' }, LOCAL_SERVICE_ROLE_KEY)).json()
  expect(created.created).toBe(true)

  // db:reset while the stack runs: data back to the seed, the running API keeps answering
  const reset = spawnSync(TSX, ['stack/cli.ts', 'reset'], { cwd: ROOT, env, encoding: 'utf8' })
  expect(reset.stdout + reset.stderr).toMatch(/database reset/)
  expect(reset.status).toBe(0)
  const afterReset = await (await rpc('register_member', { p_provider: 'dev', p_subject: '13311112222' }, LOCAL_SERVICE_ROLE_KEY)).json()
  expect(afterReset.created).toBe(true)
  expect(await seedImage()).toEqual(SERVED)

  expect(await stop(first.child)).toBe(0)
  expect(postgresRunning()).toBe(false)
  await expect(fetch(`${apiUrl}/health`)).rejects.toThrow()

  const second = await startStack()
  expect(second.output()).not.toMatch(/seed/)
  const again = await (await rpc('register_member', { p_provider: 'dev', p_subject: '13311112222' }, LOCAL_SERVICE_ROLE_KEY)).json()
  expect(again).toMatchObject({ id: afterReset.id, created: false })
  expect(await seedImage()).toEqual(SERVED)
  expect(await stop(second.child)).toBe(0)
  expect(postgresRunning()).toBe(false)
})
