// The numeric member code (issue 16): issue_member_code's stored 18 digits, staff_check_member_code (the logged,
// limited attempt) and private.resolve_member_code behind staff_preview_member / staff_award_purchase; the
// cleanup in run_scheduled_jobs. The M1 token keeps working (member_codes.test.ts tests it in depth).
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

const ISSUED = '2027-02-10T10:00:00.400+08:00'
const EXPIRES = '2027-02-10T10:01:00+08:00'
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()
const DIGITS = /^9[0-9]{17}$/

type Res = { status: number; body: any }
const outcome = (res: Res) => (res.status === 200 ? 200 : `${res.status} ${res.body?.message}`)

let stores = 0
async function aStore(): Promise<string> {
  const { rows } = await db().admin.query(`insert into public.stores (name) values ($1) returning id`, [`测试门店${++stores}`])
  return rows[0].id
}

async function aStaff(store: string): Promise<string> {
  const id = await aMember(db())
  await db().admin.query(`insert into public.staff (member_id, store_id) values ($1, $2)`, [id, store])
  return id
}

async function issue(member: string, at: string | null = ISSUED) {
  const res = at ? await db().callAt(at, 'issue_member_code', {}, { sub: member }) : await db().call('issue_member_code', {}, { sub: member })
  expect(res.status).toBe(200)
  return res.body as { token: string; digits: string; expires_at: string; ttl_seconds: number; server_time: string }
}

const check = (staff: string, code: string | null, at: string | null = ISSUED) =>
  at ? db().callAt(at, 'staff_check_member_code', { p_code: code }, { sub: staff }) : db().call('staff_check_member_code', { p_code: code }, { sub: staff })
const preview = (staff: string, code: string, at = ISSUED) => db().callAt(at, 'staff_preview_member', { p_member_code: code }, { sub: staff })
const award = (staff: string, code: string, at = ISSUED) =>
  db().callAt(at, 'staff_award_purchase', { p_member_code: code, p_amount_fen: 10000, p_order_ref: `N-${randomUUID().slice(0, 8)}`, p_request_id: randomUUID() }, { sub: staff })

const attemptsOf = async (staff: string) =>
  (await db().admin.query(`select encode(code_digest, 'hex') as digest, member_id, store_id from private.member_code_attempts
    where staff_member_id = $1 order by id`, [staff])).rows
const codesOf = async (member: string) =>
  (await db().admin.query(`select code, expires_at, issued_at from private.member_numeric_codes where member_id = $1 order by issued_at`, [member])).rows
const sha256 = async (s: string) => (await db().admin.query(`select encode(extensions.digest($1, 'sha256'), 'hex') as d`, [s])).rows[0].d

/** A digit that is not `c`. */
const other = (c: string) => String((Number(c) + 1) % 10)
const changeAt = (code: string, i: number) => code.slice(0, i) + other(code[i]) + code.slice(i + 1)

/** Change point_rules for one test, restoring them afterwards. */
async function withRules(changes: Record<string, number>, fn: () => Promise<void>) {
  const cols = Object.keys(changes)
  const { rows: [before] } = await db().admin.query(`select ${cols.join(', ')} from public.point_rules`)
  await db().admin.query(`update public.point_rules set ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')}`, Object.values(changes))
  try {
    await fn()
  } finally {
    await db().admin.query(`update public.point_rules set ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')}`, Object.values(before))
  }
}

describe('issue_member_code: the stored digits', () => {
  test('18 digits starting with 9, stored for the member with the token’s expiry; the token carries the same expiry', async () => {
    const m = await aMember(db())
    const code = await issue(m)
    expect(code.digits).toMatch(DIGITS)
    expect(Date.parse(code.expires_at)).toBe(Date.parse(EXPIRES))
    expect(code.token.split('.')[2]).toBe(String(Date.parse(EXPIRES) / 1000))
    const rows = await codesOf(m)
    expect(rows).toHaveLength(1)
    expect(rows[0].code).toBe(code.digits)
    expect(rows[0].expires_at.getTime()).toBe(Date.parse(EXPIRES))
    expect(rows[0].issued_at.getTime()).toBe(Date.parse(ISSUED))
    // a member cannot read the table (private, no grants)
    await expect(db().sqlAs({ sub: m }, 'select * from private.member_numeric_codes')).rejects.toMatchObject({ code: '42501' })
  })

  test('reused while more than half its lifetime is left, then a new one; refreshing often adds one row per half TTL', async () => {
    const m = await aMember(db())
    const first = await issue(m)
    for (const ms of [1_000, 10_000, 29_000]) {
      const again = await issue(m, after(ISSUED, ms))
      expect([again.digits, again.expires_at, again.token]).toEqual([first.digits, first.expires_at, first.token])
      // server_time is now: the client's countdown starts from the lifetime that is left
      expect(Date.parse(again.server_time)).toBe(Date.parse(ISSUED) + ms)
    }
    const next = await issue(m, after(ISSUED, 31_000))
    expect(next.digits).not.toBe(first.digits)
    expect(Date.parse(next.expires_at)).toBe(Date.parse(EXPIRES) + 31_000) // whole seconds
    // a refresh every 5 s for 2 minutes: one new row per half TTL (30 s)
    for (let s = 5; s <= 120; s += 5) await issue(m, after(ISSUED, 31_000 + s * 1000))
    expect(await codesOf(m)).toHaveLength(2 + 120 / 30)
  })

  test('parallel refreshes of one member share one code', async () => {
    const m = await aMember(db())
    const answers = await Promise.all(Array.from({ length: 8 }, () => db().call('issue_member_code', {}, { sub: m })))
    expect(new Set(answers.map((a) => a.body.digits)).size).toBe(1)
    expect(await codesOf(m)).toHaveLength(1)
  })

  test('codes of different members differ (random, not derived)', async () => {
    const digits = new Set<string>()
    for (let i = 0; i < 20; i++) digits.add((await issue(await aMember(db()))).digits)
    expect(digits.size).toBe(20)
  })

  test('the 17 random digits are uniform enough (chi-square over 2,000 draws, each digit position)', async () => {
    const { rows } = await db().admin.query('select private.new_numeric_member_code() as c from generate_series(1, 2000)')
    const codes: string[] = rows.map((r) => r.c)
    expect(codes.every((c) => DIGITS.test(c))).toBe(true)
    for (let pos = 1; pos < 18; pos++) {
      const counts = Array(10).fill(0)
      for (const c of codes) counts[Number(c[pos])]++
      const chi = counts.reduce((s, n) => s + (n - 200) ** 2 / 200, 0)
      expect(chi).toBeLessThan(40) // 9 degrees of freedom: p < 1e-5 for a fair source
    }
  })
})

describe('staff_check_member_code: one answer for every code', () => {
  test('valid, unknown, expired and another member’s codes all answer { checked_at }; each attempt is logged with a digest', async () => {
    const store = await aStore()
    const clerk = await aStaff(store)
    const [m, n] = [await aMember(db()), await aMember(db())]
    const mine = await issue(m)
    const expired = await issue(n, '2027-02-10T09:00:00+08:00')
    const unknown = changeAt(mine.digits, 9)
    const answers = [
      await check(clerk, mine.digits),
      await check(clerk, unknown),
      await check(clerk, expired.digits),
      await check(clerk, `${mine.digits.slice(0, 4)} ${mine.digits.slice(4, 8)} ${mine.digits.slice(8, 12)} ${mine.digits.slice(12, 16)} ${mine.digits.slice(16)}`),
    ]
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200])
    for (const a of answers) expect(a.body).toEqual({ checked_at: expect.any(String) })
    expect(Date.parse(answers[1].body.checked_at)).toBe(Date.parse(ISSUED))
    expect(await attemptsOf(clerk)).toEqual([
      { digest: await sha256(mine.digits), member_id: m, store_id: store },
      { digest: await sha256(unknown), member_id: null, store_id: store },
      { digest: await sha256(expired.digits), member_id: null, store_id: store },
      { digest: await sha256(mine.digits), member_id: m, store_id: store },
    ])
    // the code itself is never stored in the log
    const { rows } = await db().admin.query(`select count(*)::int as n from private.member_code_attempts a
      where encode(a.code_digest, 'escape') like '%' || $1 || '%'`, [mine.digits])
    expect(rows[0].n).toBe(0)
  })

  test('text that is no numeric member code is invalid_member_code and not logged; non-staff are refused', async () => {
    const clerk = await aStaff(await aStore())
    const m = await aMember(db())
    const { digits, token } = await issue(m)
    for (const bad of [digits.slice(1), `${digits}0`, `1${digits.slice(1)}`, token, 'abc', '', null]) {
      expect(outcome(await check(clerk, bad))).toBe('400 invalid_member_code')
    }
    expect(await attemptsOf(clerk)).toEqual([])
    expect(outcome(await check(m, digits))).toBe('403 not_staff')
    expect((await db().call('staff_check_member_code', { p_code: digits }, 'anon')).status).toBe(401)
  })
})

describe('staff RPCs accept 18 digits only after this staff member checked them', () => {
  test('checked → preview and award work; the award records the member of the code', async () => {
    const clerk = await aStaff(await aStore())
    const m = await aMember(db())
    const { digits } = await issue(m)
    expect((await check(clerk, digits)).status).toBe(200)
    const p = await preview(clerk, digits)
    expect([p.status, p.body.member_id, p.body.is_self]).toEqual([200, m, false])
    // with the spaces the member's screen shows
    expect((await preview(clerk, `${digits.slice(0, 4)} ${digits.slice(4)}`)).status).toBe(200)
    const a = await award(clerk, digits, after(ISSUED, 20_000))
    expect([a.status, a.body.member.id, a.body.points]).toEqual([200, m, 100])
  })

  test('unchecked, checked by another clerk, or checked before the code existed: invalid_member_code', async () => {
    const store = await aStore()
    const [clerk, colleague] = [await aStaff(store), await aStaff(store)]
    const m = await aMember(db())
    const { digits } = await issue(m)
    expect(outcome(await preview(clerk, digits))).toBe('400 invalid_member_code')
    expect(outcome(await award(clerk, digits))).toBe('400 invalid_member_code')
    await check(colleague, digits)
    expect(outcome(await preview(clerk, digits))).toBe('400 invalid_member_code')
    expect((await preview(colleague, digits)).status).toBe(200)
    // a check that failed (code not yet issued) does not become good once it is
    const n = await aMember(db())
    await db().admin.query(`insert into private.member_numeric_codes (code, member_id, expires_at, issued_at)
      values ('900000000000000042', $1, $2, $3)`, [n, after(ISSUED, 120_000), after(ISSUED, 60_000)])
    await check(clerk, '900000000000000042')
    expect(outcome(await preview(clerk, '900000000000000042', after(ISSUED, 61_000)))).toBe('400 invalid_member_code')
    await check(clerk, '900000000000000042', after(ISSUED, 61_000))
    expect((await preview(clerk, '900000000000000042', after(ISSUED, 61_000))).status).toBe(200)
  })

  test('expiry: preview until expires_at, award until expires_at + grace; a check after expiry does not help', async () => {
    const clerk = await aStaff(await aStore())
    const m = await aMember(db())
    const { digits } = await issue(m)
    await check(clerk, digits)
    expect((await preview(clerk, digits, EXPIRES)).status).toBe(200)
    expect(outcome(await preview(clerk, digits, after(EXPIRES, 1)))).toBe('400 invalid_member_code')
    expect((await award(clerk, digits, after(EXPIRES, 300_000))).status).toBe(200)
    expect(outcome(await award(clerk, digits, after(EXPIRES, 300_001)))).toBe('400 invalid_member_code')

    const n = await aMember(db())
    const late = await issue(n)
    await check(clerk, late.digits, after(EXPIRES, 1)) // expired when checked: a failed attempt
    expect((await attemptsOf(clerk)).at(-1).member_id).toBeNull()
    expect(outcome(await award(clerk, late.digits, after(EXPIRES, 2)))).toBe('400 invalid_member_code')
  })

  test('tampered in any digit group: checked, still refused with the same answer', async () => {
    const clerk = await aStaff(await aStore())
    const m = await aMember(db())
    const { digits } = await issue(m)
    // the five groups the screen shows: 4 4 4 4 2
    const tampered = [1, 5, 10, 14, 17].map((i) => changeAt(digits, i))
    for (const t of tampered) {
      expect((await check(clerk, t)).body).toEqual({ checked_at: expect.any(String) })
      expect(outcome(await preview(clerk, t))).toBe('400 invalid_member_code')
      expect(outcome(await award(clerk, t))).toBe('400 invalid_member_code')
    }
    // digits of a length no code has, and a 9-less 18 digits
    for (const t of [digits.slice(0, 17), `1${digits.slice(1)}`, '123456789012']) {
      expect(outcome(await preview(clerk, t))).toBe('400 invalid_member_code')
    }
  })

  test('another member’s code is that member: a code is bound to its member', async () => {
    const clerk = await aStaff(await aStore())
    const [m, n] = [await aMember(db()), await aMember(db())]
    const [cm, cn] = [await issue(m), await issue(n)]
    await check(clerk, cm.digits)
    await check(clerk, cn.digits)
    expect((await preview(clerk, cm.digits)).body.member_id).toBe(m)
    expect((await preview(clerk, cn.digits)).body.member_id).toBe(n)
    // the code's row moved to another member after the check (never happens; the check's member must match)
    await db().admin.query('update private.member_numeric_codes set member_id = $1 where code = $2', [n, cm.digits])
    expect(outcome(await preview(clerk, cm.digits))).toBe('400 invalid_member_code')
  })

  test('a clerk’s own digits: preview says is_self, the award is cannot_award_self', async () => {
    const clerk = await aStaff(await aStore())
    const { digits } = await issue(clerk)
    await check(clerk, digits)
    expect((await preview(clerk, digits)).body.is_self).toBe(true)
    expect(outcome(await award(clerk, digits))).toBe('403 cannot_award_self')
  })

  test('the M1 token still works everywhere, with no check', async () => {
    const clerk = await aStaff(await aStore())
    const m = await aMember(db())
    const { token } = await issue(m)
    expect((await preview(clerk, token)).body.member_id).toBe(m)
    expect((await award(clerk, token)).status).toBe(200)
    expect(outcome(await preview(clerk, token, after(EXPIRES, 1)))).toBe('409 member_code_expired')
    expect(await attemptsOf(clerk)).toEqual([])
  })
})

describe('attempt limits (failed checks only)', () => {
  const T = '2027-02-11T15:00:00+08:00'
  const sec = (s: number) => after(T, s * 1000)
  const bogus = (i: number) => `9${String(10_000_000 + i).padStart(17, '0')}`

  test('per clerk: 10 failed checks a minute, the 11th is too_many_code_attempts and not recorded; the next minute is open', async () => {
    const clerk = await aStaff(await aStore())
    for (let i = 0; i < 10; i++) expect(outcome(await check(clerk, bogus(i), sec(i)))).toBe(200)
    expect(outcome(await check(clerk, bogus(10), sec(30)))).toBe('429 too_many_code_attempts')
    // a valid code is refused the same way while the clerk is over the limit (a 429 tells nothing of the code)
    const m = await aMember(db())
    const { digits } = await issue(m, sec(30))
    expect(outcome(await check(clerk, digits, sec(30)))).toBe('429 too_many_code_attempts')
    expect(await attemptsOf(clerk)).toHaveLength(10)
    // the window is rolling: a minute after the first failure one more is allowed
    expect(outcome(await check(clerk, digits, sec(60.5)))).toBe(200)
    expect(outcome(await check(clerk, bogus(11), sec(60.5)))).toBe(200)
    expect(outcome(await check(clerk, bogus(12), sec(60.5)))).toBe('429 too_many_code_attempts')
  })

  test('successful checks never count: a busy counter is never locked out', async () => {
    const clerk = await aStaff(await aStore())
    const members = await Promise.all(Array.from({ length: 5 }, () => aMember(db())))
    const codes = await Promise.all(members.map(async (m) => (await issue(m, sec(0))).digits))
    for (let i = 0; i < 9; i++) await check(clerk, bogus(i), sec(1))
    for (let round = 0; round < 8; round++) for (const c of codes) expect(outcome(await check(clerk, c, sec(2)))).toBe(200)
    expect(outcome(await check(clerk, bogus(9), sec(3)))).toBe(200)
    expect(outcome(await check(clerk, codes[0], sec(3)))).toBe('429 too_many_code_attempts')
  })

  test('per store: 30 failed checks a minute among all its clerks, then 429 for every clerk of that store only', async () => {
    const store = await aStore()
    const clerks = [await aStaff(store), await aStaff(store), await aStaff(store), await aStaff(store)]
    const elsewhere = await aStaff(await aStore())
    for (let i = 0; i < 30; i++) expect(outcome(await check(clerks[i % 3], bogus(i), sec(i)))).toBe(200)
    expect(outcome(await check(clerks[3], bogus(31), sec(40)))).toBe('429 too_many_code_attempts')
    expect(await attemptsOf(clerks[3])).toEqual([])
    expect(outcome(await check(elsewhere, bogus(32), sec(40)))).toBe(200)
    expect(outcome(await check(clerks[3], bogus(33), sec(61)))).toBe(200)
  })

  test('per store per day (rolling 24 h), and the limits are rules', async () => {
    await withRules({ member_code_store_failures_per_day: 12 }, async () => {
      const store = await aStore()
      const clerk = await aStaff(store)
      for (let i = 0; i < 12; i++) expect(outcome(await check(clerk, bogus(i), sec(i * 600)))).toBe(200)
      expect(outcome(await check(clerk, bogus(12), sec(12 * 600)))).toBe('429 too_many_code_attempts')
      expect(outcome(await check(clerk, bogus(13), sec(86_400 + 1)))).toBe(200)
    })
    const { rows: [rules] } = await db().admin.query(`select member_code_clerk_failures_per_minute as clerk,
      member_code_store_failures_per_minute as store_minute, member_code_store_failures_per_day as store_day from public.point_rules`)
    expect(rules).toEqual({ clerk: 10, store_minute: 30, store_day: 300 })
    await expect(db().admin.query('update public.point_rules set member_code_clerk_failures_per_minute = 0')).rejects.toMatchObject({ code: '23514' })
  })

  test('parallel failed checks by one clerk never exceed the limit', async () => {
    const clerk = await aStaff(await aStore())
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => check(clerk, bogus(100 + i), null)))
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(statuses.filter((s) => s === 429)).toHaveLength(20)
    expect(await attemptsOf(clerk)).toHaveLength(10)
  })

  test('parallel failed checks by the clerks of one store never exceed the store limit', async () => {
    const store = await aStore()
    const clerks = await Promise.all(Array.from({ length: 6 }, () => aStaff(store)))
    const answers = await Promise.all(Array.from({ length: 48 }, (_, i) => check(clerks[i % 6], bogus(200 + i), null)))
    expect(answers.filter((a) => a.status === 200)).toHaveLength(30)
    const { rows } = await db().admin.query('select count(*)::int as n from private.member_code_attempts where store_id = $1', [store])
    expect(rows[0].n).toBe(30)
  })
})

test('run_scheduled_jobs deletes codes past expiry + grace and attempts older than 30 days, and reports it', async () => {
  const clerk = await aStaff(await aStore())
  const m = await aMember(db())
  const { digits } = await issue(m)
  const n = await aMember(db())
  const later = await issue(n, '2027-02-10T10:04:00+08:00')
  await check(clerk, digits)
  const jobs = async (at: string) => (await db().callAt(at, 'run_scheduled_jobs', {}, 'service_role')).body
  // within the award grace: kept
  let res = await jobs(after(EXPIRES, 300_000))
  expect(res.delete_member_codes).toEqual({ codes: expect.any(Number), attempts: expect.any(Number), more: false })
  expect(await codesOf(m)).toHaveLength(1)
  res = await jobs(after(EXPIRES, 300_001))
  expect(res.delete_member_codes.codes).toBeGreaterThanOrEqual(1)
  expect(await codesOf(m)).toEqual([])
  expect(await codesOf(n)).toHaveLength(1)
  expect(later.digits).toMatch(DIGITS)
  expect(await attemptsOf(clerk)).toHaveLength(1)
  res = await jobs('2027-03-13T10:00:00+08:00')
  expect(res.delete_member_codes.attempts).toBeGreaterThanOrEqual(1)
  expect(await attemptsOf(clerk)).toEqual([])
  // a deleted code is refused like any unknown one
  expect(outcome(await preview(clerk, digits))).toBe('400 invalid_member_code')
})
