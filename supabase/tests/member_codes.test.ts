// The signed, rotating member code (issue_member_code, private.verify_member_code)
// and the server secret behind it.
import { createHmac, randomBytes } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

/** Issued at 10:00:00.400 Shanghai: the code expires at 10:01:00 (whole seconds, TTL 60). */
const ISSUED = '2027-01-10T10:00:00.400+08:00'
const EXPIRES = '2027-01-10T10:01:00+08:00'
const EXPIRES_EPOCH = Date.parse(EXPIRES) / 1000
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()

const TOKEN = /^M1\.([0-9A-F]{32})\.([0-9]{10})\.([0-9A-F]{32})$/
const hexOf = (uuid: string) => uuid.replace(/-/g, '').toUpperCase()

async function issue(member: string, at = ISSUED) {
  const res = await db().callAt(at, 'issue_member_code', {}, { sub: member })
  expect(res.status).toBe(200)
  return res.body as { token: string; expires_at: string; ttl_seconds: number; server_time: string; digits: string }
}

/** private.verify_member_code at a pinned instant, as the staff RPCs call it. */
async function verify(token: string | null, at: string, grace = 0): Promise<string> {
  const [row] = await db().sqlAt(at, 'select private.verify_member_code($1, $2) as id', [token, grace])
  return row.id
}
const refused = (message: string, status: number) => ({ message, code: `PT${status}` })

async function secret(): Promise<Buffer> {
  return (await db().admin.query(`select secret from private.app_secrets where name = 'member_code'`)).rows[0].secret
}

/** A token as the documented format defines it, signed in Node with any key. */
function signWith(key: Buffer, body: string) {
  return body + createHmac('sha256', key).update(body).digest('hex').slice(0, 32).toUpperCase()
}

test('issue_member_code: a compact token bound to the member, with expiry, TTL and the server time', async () => {
  const m = await aMember(db())
  const code = await issue(m)
  expect(code).toEqual({
    token: expect.stringMatching(TOKEN),
    expires_at: expect.any(String),
    ttl_seconds: 60,
    server_time: expect.any(String),
    digits: expect.stringMatching(/^9[0-9]{17}$/), // the numeric code: member_code_checks.test.ts
  })
  expect(Date.parse(code.expires_at)).toBe(Date.parse(EXPIRES))
  expect(Date.parse(code.server_time)).toBe(Date.parse(ISSUED))
  const [, id, exp] = TOKEN.exec(code.token)!
  expect(id).toBe(hexOf(m))
  expect(Number(exp)).toBe(EXPIRES_EPOCH)
  expect(code.token).toHaveLength(79)
  // QR alphanumeric mode: digits, upper-case letters and '.' only
  expect(code.token).toMatch(/^[0-9A-Z.]+$/)

  expect((await db().call('issue_member_code', {}, 'anon')).status).toBe(401)
})

test('round trip: the token verifies to its member until its expiry instant, then member_code_expired', async () => {
  const m = await aMember(db())
  const { token } = await issue(m)
  expect(await verify(token, ISSUED)).toBe(m)
  expect(await verify(token, EXPIRES)).toBe(m)
  await expect(verify(token, after(EXPIRES, 1))).rejects.toMatchObject(refused('member_code_expired', 409))
  // a grace period extends it by exactly that many seconds
  expect(await verify(token, after(EXPIRES, 300_000), 300)).toBe(m)
  await expect(verify(token, after(EXPIRES, 300_001), 300)).rejects.toMatchObject(refused('member_code_expired', 409))
  // surrounding whitespace from a scanner is ignored
  expect(await verify(`${token}\n`, ISSUED)).toBe(m)
})

test('the token is exactly HMAC-SHA256 with the server secret over everything before the MAC, cut to 128 bits', async () => {
  const m = await aMember(db())
  const { token } = await issue(m)
  const body = `M1.${hexOf(m)}.${EXPIRES_EPOCH}.`
  expect(token).toBe(signWith(await secret(), body))
})

test('tampered, truncated, garbage and empty tokens are invalid_member_code', async () => {
  const [m, other] = [await aMember(db()), await aMember(db())]
  const { token } = await issue(m)
  const key = await secret()
  const [, id, exp, mac] = TOKEN.exec(token)!
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
  const bad: [string, string | null][] = [
    ['another member id', `M1.${hexOf(other)}.${exp}.${mac}`],
    ['one hex digit of the id changed', `M1.${flip(id, 5)}.${exp}.${mac}`],
    ['a later expiry', `M1.${id}.${Number(exp) + 3600}.${mac}`],
    ['an earlier expiry', `M1.${id}.${Number(exp) - 1}.${mac}`],
    ['the MAC changed in its last digit', `M1.${id}.${exp}.${flip(mac, 31)}`],
    ['the MAC changed in its first digit', `M1.${id}.${exp}.${flip(mac, 0)}`],
    ['another version', `M2.${id}.${exp}.${mac}`],
    ['another version, correctly signed', signWith(key, `M2.${id}.${exp}.`)],
    ['lower case', token.toLowerCase()],
    ['truncated by one', token.slice(0, -1)],
    ['truncated MAC (64 bits)', token.slice(0, -16)],
    ['no MAC', `M1.${id}.${exp}.`],
    ['extra character', `${token}0`],
    ['garbage', 'hello world'],
    ['SQL', "' or 1=1 --"],
    ['a uuid', m],
    ['empty', ''],
    ['null', null],
  ]
  const outcomes = []
  for (const [what, t] of bad) outcomes.push([what, await verify(t, ISSUED).then(() => 'accepted', (e) => `${e.code} ${e.message}`)])
  expect(outcomes).toEqual(bad.map(([what]) => [what, 'PT400 invalid_member_code']))
  // a bad signature is invalid even past the expiry (it never was a code)
  await expect(verify(`M1.${hexOf(other)}.${exp}.${mac}`, after(EXPIRES, 3_600_000))).rejects.toMatchObject(refused('invalid_member_code', 400))
})

test('a token signed with another secret is invalid; rotating the secret invalidates issued codes', async () => {
  const m = await aMember(db())
  const { token } = await issue(m)
  const forged = signWith(randomBytes(32), `M1.${hexOf(m)}.${EXPIRES_EPOCH}.`)
  expect(forged).not.toBe(token)
  await expect(verify(forged, ISSUED)).rejects.toMatchObject(refused('invalid_member_code', 400))

  const old = await secret()
  await db().admin.query(`update private.app_secrets set secret = extensions.gen_random_bytes(32) where name = 'member_code'`)
  try {
    await expect(verify(token, ISSUED)).rejects.toMatchObject(refused('invalid_member_code', 400))
    expect(await verify((await issue(m)).token, ISSUED)).toBe(m)
  } finally {
    await db().admin.query(`update private.app_secrets set secret = $1 where name = 'member_code'`, [old])
  }
  expect(await verify(token, ISSUED)).toBe(m)
})

test('a code of a member that no longer exists is invalid', async () => {
  const { rows: [{ id }] } = await db().admin.query(`insert into public.members (nickname) values ('临时') returning id`)
  const [{ token }] = await db().sqlAt(ISSUED, 'select private.sign_member_code($1, $2) as token', [id, EXPIRES_EPOCH])
  expect(await verify(token, ISSUED)).toBe(id)
  await db().admin.query('delete from public.members where id = $1', [id])
  await expect(verify(token, ISSUED)).rejects.toMatchObject(refused('invalid_member_code', 400))
})

test('the TTL is a rule (point_rules.member_code_ttl_seconds); the award grace defaults to 300 s', async () => {
  const { rows: [rules] } = await db().admin.query('select member_code_ttl_seconds, member_code_award_grace_seconds from public.point_rules')
  expect(rules).toEqual({ member_code_ttl_seconds: 60, member_code_award_grace_seconds: 300 })
  await db().admin.query('update public.point_rules set member_code_ttl_seconds = 120')
  try {
    const code = await issue(SEEDED.lin.id)
    expect(code.ttl_seconds).toBe(120)
    expect(Date.parse(code.expires_at)).toBe(Date.parse(EXPIRES) + 60_000)
  } finally {
    await db().admin.query('update public.point_rules set member_code_ttl_seconds = 60')
  }
  await expect(db().admin.query('update public.point_rules set member_code_ttl_seconds = 5')).rejects.toMatchObject({ code: '23514' })
})

test('the secret and the signing functions are out of reach of every API role', async () => {
  for (const caller of ['anon', 'service_role', { sub: SEEDED.lin.id }, { sub: SEEDED.staffWang.id }] as const) {
    await expect(db().sqlAs(caller, 'select secret from private.app_secrets')).rejects.toMatchObject({ code: '42501' })
    await expect(db().sqlAs(caller, `select private.sign_member_code('${SEEDED.lin.id}', 9999999999)`)).rejects.toMatchObject({ code: '42501' })
    await expect(db().sqlAs(caller, `select private.member_code_mac('x')`)).rejects.toMatchObject({ code: '42501' })
  }
  expect((await db().read('app_secrets', 'select=secret', 'service_role')).status).toBe(404)
  const { rows } = await db().admin.query(`select octet_length(secret) as n from private.app_secrets where name = 'member_code'`)
  expect(rows).toEqual([{ n: 32 }])
})
