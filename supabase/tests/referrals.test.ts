// Invite codes, bind_referrer (new accounts only, no self, no cycles, one referrer),
// rewards on the qualifying action, the referrer's daily cap, list_invitees, undoing rewards.
import { addDays } from '../../test/support/dates'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const DAY = '2027-03-01'
const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`
const nextDay = (day: string) => addDays(day, 1)

const inviteCode = async (member: string): Promise<string> =>
  (await db().admin.query('select invite_code from public.members where id = $1', [member])).rows[0].invite_code
const bind = (when: string, member: string, code: string, channel?: string) =>
  db().callAt(when, 'bind_referrer', channel ? { p_invite_code: code, p_channel: channel } : { p_invite_code: code }, { sub: member })
const checkIn = (when: string, member: string) => db().callAt(when, 'check_in', {}, { sub: member })
const referralOf = async (invitee: string) =>
  (await db().admin.query('select * from public.referrals where invitee_id = $1', [invitee])).rows[0]
const referralPoints = async (member: string) =>
  (await db().admin.query(`select coalesce(sum(amount_points), 0)::int as n from public.point_entries where member_id = $1 and source = 'referral'`, [member])).rows[0].n
const setRules = (sql: string) => db().admin.query(`update public.point_rules set ${sql}`)

/** A referrer and a freshly registered invitee bound to them on `day`. */
async function aPair(day = DAY, opts: { provider?: 'dev' | 'wechat' } = {}) {
  const referrer = await aMember(db(), { at: at(day, '08:00:00') })
  const invitee = await aMember(db(), { at: at(day, '09:00:00'), provider: opts.provider })
  const res = await bind(at(day, '09:01:00'), invitee, await inviteCode(referrer))
  expect(res.status).toBe(200)
  return { referrer, invitee }
}

afterEach(() => setRules(`referral_qualifying_action = 'first_check_in_after_phone', referral_bonus_points = 100,
  referral_daily_max_rewards = 10, referral_bind_window_hours = 24`))

test('every member has a unique 8-character invite code without look-alike characters', async () => {
  const m = await aMember(db())
  const { rows } = await db().admin.query('select invite_code from public.members')
  expect(rows.length).toBeGreaterThan(4)
  for (const { invite_code } of rows) expect(invite_code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/)
  expect(new Set(rows.map((r) => r.invite_code)).size).toBe(rows.length)
  expect(await inviteCode(m)).toMatch(/^[2-9A-HJ-NP-Z]{8}$/)
  await expect(db().admin.query(`update public.members set invite_code = $1 where id = $2`, [await inviteCode(SEEDED.lin.id), m]))
    .rejects.toMatchObject({ code: '23505' })
})

test('bind_referrer: pending until the qualifying action, then 100 points each, once', async () => {
  const referrer = await aMember(db(), { at: at(DAY, '08:00:00') })
  const invitee = await aMember(db(), { at: at(DAY, '09:00:00') })
  const code = await inviteCode(referrer)
  const res = await bind(at(DAY, '09:05:00'), invitee, code.toLowerCase(), 'share')
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ channel: 'share', status: 'pending', qualifying_action: 'first_check_in_after_phone', bonus_points: 100 })
  expect(res.body.referrer.nickname).toMatch(/^会员/)
  // binding the same referrer again answers the same; nothing is paid yet
  expect((await bind(at(DAY, '09:06:00'), invitee, code)).body).toMatchObject({ channel: 'share', status: 'pending' })
  expect(await referralPoints(invitee)).toBe(0)

  const before = { referrer: await balanceOf(db(), referrer), invitee: await balanceOf(db(), invitee) }
  expect((await checkIn(at(DAY, '10:00:00'), invitee)).status).toBe(200)
  expect(await balanceOf(db(), invitee)).toBe(before.invitee + 5 + 100)
  expect(await balanceOf(db(), referrer)).toBe(before.referrer + 100)
  expect(await referralOf(invitee)).toMatchObject({ status: 'rewarded', qualifying_ref: `check_in:${DAY}`, referrer_skipped: null })
  const { rows } = await db().admin.query(
    `select member_id, ref, amount_points, description from public.point_entries where source = 'referral' and member_id in ($1, $2) order by id`,
    [invitee, referrer])
  expect(rows).toEqual([
    { member_id: invitee, ref: `invitee:check_in:${DAY}`, amount_points: 100, description: '好友邀请注册奖励' },
    { member_id: referrer, ref: `referrer:${invitee}:check_in:${DAY}`, amount_points: 100, description: '邀请好友奖励' },
  ])

  // later check-ins pay nothing more
  expect((await checkIn(at(nextDay(DAY)), invitee)).status).toBe(200)
  expect(await referralPoints(invitee)).toBe(100)
  expect(await referralPoints(referrer)).toBe(100)
})

test('bad codes, self-referral, a second referrer and a closed window are refused and change nothing', async () => {
  const { referrer, invitee } = await aPair()
  const other = await aMember(db(), { at: at(DAY) })
  const cases: [string, string, string, number, string?][] = [
    [invitee, '', 'invalid_invite_code', 400],
    [invitee, 'ABC', 'invalid_invite_code', 400],
    [invitee, 'ABCDEFG0', 'invalid_invite_code', 400], // 0 is not in the alphabet
    [invitee, 'ZZZZZZZZ', 'invite_code_not_found', 404],
    [invitee, await inviteCode(other), 'referrer_already_bound', 409],
    [other, await inviteCode(other), 'self_referral', 409],
    [other, await inviteCode(referrer), 'invalid_channel', 400, 'poster'],
  ]
  for (const [member, code, message, status, channel] of cases) {
    const res = await bind(at(DAY, '11:00:00'), member, code, channel)
    expect({ code, status: res.status, message: res.body.message }).toEqual({ code, status, message })
  }
  // the window: 24 hours after registration by default (configurable)
  const late = await aMember(db(), { at: at(DAY, '09:00:00') })
  expect((await bind(at(nextDay(DAY), '09:00:00'), late, await inviteCode(referrer))).body.message).toBe('referral_window_closed')
  expect((await bind(at(nextDay(DAY), '08:59:59'), late, await inviteCode(referrer))).status).toBe(200)
  await setRules('referral_bind_window_hours = 0')
  const never = await aMember(db(), { at: at(DAY, '09:00:00') })
  expect((await bind(at(DAY, '09:00:01'), never, await inviteCode(referrer))).body.message).toBe('referral_window_closed')

  expect((await referralOf(invitee)).referrer_id).toBe(referrer)
  expect(await referralOf(other)).toBeUndefined()
  expect(await referralOf(never)).toBeUndefined()
  expect((await db().call('bind_referrer', { p_invite_code: await inviteCode(referrer) }, 'anon')).status).toBe(401)
})

test('list_invitees: bind_until says until when the member may still type a code', async () => {
  const referrer = await aMember(db(), { at: at(DAY, '08:00:00') })
  const fresh = await aMember(db(), { at: at(DAY, '09:00:00') })
  const bindUntil = async (member: string, when: string) =>
    (await db().callAt(when, 'list_invitees', {}, { sub: member })).body.bind_until as string | null
  // the same rule as bind_referrer: created_at + referral_bind_window_hours, while nobody is bound
  expect(Date.parse((await bindUntil(fresh, at(DAY, '10:00:00')))!)).toBe(Date.parse(at(nextDay(DAY), '09:00:00')))
  expect(await bindUntil(fresh, at(nextDay(DAY), '09:00:00'))).toBeNull()
  await setRules('referral_bind_window_hours = 0')
  expect(await bindUntil(fresh, at(DAY, '10:00:00'))).toBeNull()
  await setRules('referral_bind_window_hours = 24')
  expect((await bind(at(DAY, '10:00:00'), fresh, await inviteCode(referrer), 'code')).status).toBe(200)
  expect(await bindUntil(fresh, at(DAY, '10:01:00'))).toBeNull()
  expect(await referralOf(fresh)).toMatchObject({ referrer_id: referrer, channel: 'code' })
})

test('no cycles: A ← B ← C, then neither A nor B may bind C or each other', async () => {
  const [a, b, c] = [await aMember(db(), { at: at(DAY) }), await aMember(db(), { at: at(DAY) }), await aMember(db(), { at: at(DAY) })]
  expect((await bind(at(DAY, '10:01:00'), b, await inviteCode(a))).status).toBe(200)
  expect((await bind(at(DAY, '10:02:00'), c, await inviteCode(b))).status).toBe(200)
  expect((await bind(at(DAY, '10:03:00'), a, await inviteCode(b))).body.message).toBe('referral_cycle')
  expect((await bind(at(DAY, '10:03:00'), a, await inviteCode(c))).body.message).toBe('referral_cycle')
  expect(await referralOf(a)).toBeUndefined()
})

test('concurrent binds: mutual binds never both succeed; one member binding many codes at once gets one referrer', async () => {
  const pairs = await Promise.all(Array.from({ length: 10 }, async () => [await aMember(db(), { at: at(DAY) }), await aMember(db(), { at: at(DAY) })]))
  const results = await Promise.all(pairs.flatMap(([x, y]) => [
    inviteCode(y).then((code) => bind(at(DAY, '10:30:00'), x, code)),
    inviteCode(x).then((code) => bind(at(DAY, '10:30:00'), y, code)),
  ]))
  for (let i = 0; i < pairs.length; i++) {
    const [rx, ry] = [results[2 * i], results[2 * i + 1]]
    expect([rx.status, ry.status].sort()).toEqual([200, 409])
    expect([rx, ry].find((r) => r.status === 409)!.body.message).toBe('referral_cycle')
  }

  const member = await aMember(db(), { at: at(DAY) })
  const referrers = await Promise.all(Array.from({ length: 20 }, () => aMember(db(), { at: at(DAY) })))
  const codes = await Promise.all(referrers.map(inviteCode))
  const binds = await Promise.all(codes.map((code) => bind(at(DAY, '10:40:00'), member, code)))
  expect(binds.filter((r) => r.status === 200)).toHaveLength(1)
  expect(new Set(binds.filter((r) => r.status !== 200).map((r) => r.body.message))).toEqual(new Set(['referrer_already_bound']))
})

test('first_check_in_after_phone: a check-in without a bound phone does not qualify; the first one after binding does', async () => {
  const { referrer, invitee } = await aPair(DAY, { provider: 'wechat' })
  expect((await checkIn(at(DAY), invitee)).status).toBe(200)
  expect(await referralOf(invitee)).toMatchObject({ status: 'pending' })
  expect((await db().callAt(at(DAY, '12:00:00'), 'bind_member_phone', { p_member_id: invitee, p_phone: '13611112222' }, 'service_role')).status).toBe(200)
  expect(await referralOf(invitee)).toMatchObject({ status: 'pending' }) // binding the phone is not the action
  expect((await checkIn(at(nextDay(DAY)), invitee)).status).toBe(200)
  expect(await referralOf(invitee)).toMatchObject({ status: 'rewarded', qualifying_ref: `check_in:${nextDay(DAY)}` })
  expect(await referralPoints(referrer)).toBe(100)
})

test('first_purchase (configurable): check-ins do not qualify, the purchase event does', async () => {
  await setRules(`referral_qualifying_action = 'first_purchase'`)
  const { referrer, invitee } = await aPair()
  expect((await checkIn(at(DAY), invitee)).status).toBe(200)
  expect(await referralOf(invitee)).toMatchObject({ status: 'pending' })
  await db().sqlAt(at(DAY, '15:00:00'), `select private.lock_balance($1), private.lock_pending_referrer($1, 'purchase_awarded'),
    private.qualify_referral($1, 'purchase_awarded', 'p-1')`, [invitee])
  expect(await referralOf(invitee)).toMatchObject({ status: 'rewarded', qualifying_ref: 'purchase:p-1' })
  expect(await referralPoints(invitee)).toBe(100)
  expect(await referralPoints(referrer)).toBe(100)
})

test('the referrer is rewarded at most 10 times a business day; the invitee always is', async () => {
  const referrer = await aMember(db(), { at: at(DAY, '07:00:00') })
  const code = await inviteCode(referrer)
  const invitees = await Promise.all(Array.from({ length: 12 }, () => aMember(db(), { at: at(DAY, '08:00:00') })))
  for (const invitee of invitees) expect((await bind(at(DAY, '08:30:00'), invitee, code)).status).toBe(200)
  for (const invitee of invitees.slice(0, 11)) expect((await checkIn(at(DAY, '23:00:00'), invitee)).status).toBe(200)
  expect(await referralPoints(referrer)).toBe(1000)
  for (const invitee of invitees.slice(0, 11)) expect(await referralPoints(invitee)).toBe(100)
  expect((await db().admin.query(`select count(*)::int as n from public.referrals where referrer_id = $1 and referrer_skipped = 'daily_cap'`, [referrer])).rows[0].n).toBe(1)
  // a new Shanghai day (00:30 is still the previous UTC day) resets the cap
  expect((await checkIn(at(nextDay(DAY), '00:30:00'), invitees[11])).status).toBe(200)
  expect(await referralPoints(referrer)).toBe(1100)
  const list = await db().callAt(at(nextDay(DAY), '01:00:00'), 'list_invitees', {}, { sub: referrer })
  expect(list.body).toMatchObject({ invited_count: 12, rewarded_count: 12, earned_points: 1100, rewards_today: 1, daily_max_rewards: 10 })
})

test('concurrency: 15 invitees of one referrer qualify at once → exactly 10 referrer rewards', async () => {
  const referrer = await aMember(db(), { at: at(DAY, '07:00:00') })
  const code = await inviteCode(referrer)
  const invitees = await Promise.all(Array.from({ length: 15 }, () => aMember(db(), { at: at(DAY, '08:00:00') })))
  await Promise.all(invitees.map((i) => bind(at(DAY, '08:30:00'), i, code)))
  const results = await Promise.all(invitees.map((i) => checkIn(at(DAY, '12:00:00'), i)))
  expect(results.map((r) => r.status)).toEqual(invitees.map(() => 200))
  expect(await referralPoints(referrer)).toBe(1000)
  const { rows } = await db().admin.query(
    `select count(*) filter (where referrer_entry_id is not null)::int as paid, count(*) filter (where referrer_skipped = 'daily_cap')::int as skipped
     from public.referrals where referrer_id = $1 and status = 'rewarded'`, [referrer])
  expect(rows[0]).toEqual({ paid: 10, skipped: 5 })
})

test('list_invitees: my code, who invited me, my invitees newest first with what each earned me, paged', async () => {
  const { referrer, invitee } = await aPair()
  const second = await aMember(db(), { at: at(DAY, '09:30:00') })
  expect((await bind(at(DAY, '09:31:00'), second, await inviteCode(referrer))).status).toBe(200)
  await checkIn(at(DAY), invitee)

  const res = await db().callAt(at(DAY, '12:00:00'), 'list_invitees', {}, { sub: referrer })
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({
    invite_code: await inviteCode(referrer), referrer: null, bonus_points: 100, invited_count: 2, rewarded_count: 1,
    earned_points: 100, rewards_today: 1, qualifying_action: 'first_check_in_after_phone',
  })
  expect(res.body.invitees).toHaveLength(2)
  expect(res.body.invitees[0]).toMatchObject({ status: 'pending', reward_points: 0, qualified_at: null })
  expect(res.body.invitees[1]).toMatchObject({ status: 'rewarded', reward_points: 100, referrer_skipped: null })
  expect(Object.keys(res.body.invitees[0]).sort()).toEqual(['avatar_url', 'bound_at', 'nickname', 'qualified_at', 'referrer_skipped', 'reward_points', 'status'])

  const page = await db().callAt(at(DAY, '12:00:00'), 'list_invitees', { p_limit: 1, p_before: res.body.invitees[0].bound_at }, { sub: referrer })
  expect(page.body.invitees).toHaveLength(1)
  expect(page.body.invitees[0].status).toBe('rewarded')

  const mine = await db().callAt(at(DAY, '12:00:00'), 'list_invitees', {}, { sub: invitee })
  expect(mine.body.referrer).toMatchObject({ status: 'rewarded' })
  expect(mine.body.invitees).toEqual([])
  expect((await db().call('list_invitees', { p_limit: 0 }, { sub: referrer })).body.message).toBe('invalid_limit')
  expect((await db().call('list_invitees', {}, 'anon')).status).toBe(401)
  // the table itself: an invitee reads their own row only
  expect((await db().read('referrals', 'select=referrer_id', { sub: invitee })).body).toEqual([{ referrer_id: referrer }])
  expect((await db().read('referrals', 'select=invitee_id', { sub: referrer })).body).toEqual([])
})

test('revoke_referral_rewards: both rewards reversed, the referral pending again, and the next action re-qualifies', async () => {
  await setRules(`referral_qualifying_action = 'first_purchase'`)
  const { referrer, invitee } = await aPair()
  const purchase = (ref: string, time: string) =>
    db().sqlAt(at(DAY, time), `select private.lock_balance($1), private.lock_pending_referrer($1, 'purchase_awarded'),
      private.qualify_referral($1, 'purchase_awarded', $2)`, [invitee, ref])
  await purchase('p-1', '12:00:00')
  const undo = async (ref: string) =>
    (await db().sqlAt(at(DAY, '13:00:00'), `select private.revoke_referral_rewards($1, $2) as r`, [invitee, ref]))[0].r
  expect(await undo('purchase:other')).toBeNull()
  expect(await undo('purchase:p-1')).toEqual({
    reversed: [{ member_id: invitee, points: 100 }, { member_id: referrer, points: 100 }], unrecovered: [],
  })
  expect(await referralPoints(invitee)).toBe(0)
  expect(await referralPoints(referrer)).toBe(0)
  expect(await referralOf(invitee)).toMatchObject({ status: 'pending', qualifying_ref: null, invitee_entry_id: null })
  expect(await undo('purchase:p-1')).toBeNull() // once

  // a reversed reward does not count against the cap; the next real purchase qualifies again
  await purchase('p-2', '14:00:00')
  expect(await referralOf(invitee)).toMatchObject({ status: 'rewarded', qualifying_ref: 'purchase:p-2' })
  expect(await referralPoints(referrer)).toBe(100)

  // the referrer spent everything: their reward cannot be taken back and is reported, the invitee's is
  const spendable = await balanceOf(db(), referrer)
  await db().sqlAt(at(DAY, '14:30:00'), `select private.spend_points($1, 'adjustment', $2, 'spend-all')`, [referrer, spendable])
  expect(await undo('purchase:p-2')).toEqual({
    reversed: [{ member_id: invitee, points: 100 }], unrecovered: [{ member_id: referrer, points: 100 }],
  })
  expect(await balanceOf(db(), referrer)).toBe(0)
})

test('with a zero bonus the referral still completes, paying nothing', async () => {
  await setRules('referral_bonus_points = 0')
  const { referrer, invitee } = await aPair()
  await checkIn(at(DAY), invitee)
  expect(await referralOf(invitee)).toMatchObject({ status: 'rewarded', invitee_entry_id: null, referrer_entry_id: null })
  expect(await referralPoints(referrer)).toBe(0)
})
