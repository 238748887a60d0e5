// Registration bonus, update_profile (birthday rules), birthday bonus,
// bind_member_phone, me.
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, phoneOf } from '../../test/factories/members'

const db = useSeededDb()

const entries = async (member: string, source: string) =>
  (await db().admin.query('select ref, amount_points from public.point_entries where member_id = $1 and source = $2 order by id', [member, source])).rows

describe('registration bonus', () => {
  test('a new member gets 100 points once, as an earn lot valid for 12 months', async () => {
    const m = await aMember(db(), { at: '2026-03-10T10:00:00+08:00' })
    expect(await entries(m, 'registration')).toEqual([{ ref: 'registration', amount_points: 100 }])
    const { rows } = await db().admin.query('select remaining_points, expires_at from public.point_lots where member_id = $1', [m])
    expect(rows).toEqual([{ remaining_points: 100, expires_at: new Date('2027-03-11T00:00:00+08:00') }])
    // signing in again does not pay again
    const phone = await phoneOf(db(), m)
    expect((await db().call('register_member', { p_provider: 'dev', p_subject: phone }, 'service_role')).body.created).toBe(false)
    expect(await balanceOf(db(), m)).toBe(100)
  })

  test('20 parallel first sign-ins pay the bonus once; the member starts at the entry tier', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => db().call('register_member', { p_provider: 'wechat', p_subject: 'openid-bonus-race' }, 'service_role')),
    )
    const id = results[0].body.id
    expect(results.every((r) => r.status === 200 && r.body.id === id)).toBe(true)
    expect(await entries(id, 'registration')).toHaveLength(1)
    expect(await balanceOf(db(), id)).toBe(100)
    expect((await db().admin.query('select tier_code from public.member_tiers where member_id = $1', [id])).rows).toEqual([{ tier_code: 'basic' }])
  })

  test('a dev sign-in brings a phone: the bind_phone task event is recorded', async () => {
    const m = await aMember(db())
    const { rows } = await db().admin.query(`select event from public.task_events where member_id = $1`, [m])
    expect(rows).toEqual([{ event: 'phone_bound' }])
  })
})

describe('update_profile', () => {
  test('changes nickname and avatar; rejects bad input with nothing changed', async () => {
    const m = await aMember(db())
    const ok = await db().call('update_profile', { p_nickname: '  小满  ', p_avatar_url: 'https://img.example.com/a.png' }, { sub: m })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ id: m, nickname: '小满', avatar_url: 'https://img.example.com/a.png', birthday: null })
    for (const [args, code] of [
      [{ p_nickname: '   ' }, 'invalid_nickname'],
      [{ p_nickname: 'x'.repeat(33) }, 'invalid_nickname'],
      [{ p_avatar_url: 'javascript:alert(1)' }, 'invalid_avatar_url'],
      [{ p_birthday: '2999-01-01' }, 'invalid_birthday'],
      [{ p_birthday: '1899-12-31' }, 'invalid_birthday'],
    ] as const) {
      const res = await db().call('update_profile', args, { sub: m })
      expect([res.status, res.body.message]).toEqual([400, code])
    }
    expect((await db().call('update_profile', { p_birthday: 'not-a-date' }, { sub: m })).status).toBe(400)
    const { rows } = await db().admin.query('select nickname, avatar_url, birthday from public.members where id = $1', [m])
    expect(rows[0]).toEqual({ nickname: '小满', avatar_url: 'https://img.example.com/a.png', birthday: null })
  })

  test('anon cannot update a profile', async () => {
    expect((await db().call('update_profile', { p_nickname: 'x' })).status).toBe(401)
  })

  test('the birthday can be changed at most once a year', async () => {
    const m = await aMember(db(), { at: '2025-01-01T10:00:00+08:00' })
    expect((await db().callAt('2025-01-02T10:00:00+08:00', 'update_profile', { p_birthday: '1990-06-15' }, { sub: m })).status).toBe(200)
    const soon = await db().callAt('2025-12-30T10:00:00+08:00', 'update_profile', { p_birthday: '1990-06-16' }, { sub: m })
    expect([soon.status, soon.body.message]).toEqual([409, 'birthday_change_limited'])
    // the same value again is not a change
    expect((await db().callAt('2025-12-30T10:00:00+08:00', 'update_profile', { p_birthday: '1990-06-15' }, { sub: m })).status).toBe(200)
    const later = await db().callAt('2026-01-03T10:00:00+08:00', 'update_profile', { p_birthday: '1990-06-16' }, { sub: m })
    expect(later.status).toBe(200)
    expect(later.body.birthday).toBe('1990-06-16')
  })

  test('a complete profile records the profile_completed event once', async () => {
    const m = await aMember(db())
    await db().call('update_profile', { p_nickname: '阿满', p_birthday: '1995-01-02' }, { sub: m })
    const count = async () => (await db().admin.query(`select count(*)::int n from public.task_events where member_id = $1 and event = 'profile_completed'`, [m])).rows[0].n
    expect(await count()).toBe(0)
    await db().call('update_profile', { p_avatar_url: 'https://img.example.com/b.png' }, { sub: m })
    await db().call('update_profile', { p_nickname: '阿满2' }, { sub: m })
    expect(await count()).toBe(1)
  })
})

describe('birthday bonus', () => {
  const award = (at: string) => db().callAt(at, 'award_birthday_bonuses', {}, 'service_role')
  const birthdayMember = async (setAt: string, birthday: string) => {
    const m = await aMember(db(), { at: setAt })
    expect((await db().callAt(setAt, 'update_profile', { p_birthday: birthday }, { sub: m })).status).toBe(200)
    return m
  }

  test('500 points once in the birthday month, not outside it', async () => {
    const m = await birthdayMember('2026-01-05T10:00:00+08:00', '1990-03-20')
    await award('2026-02-28T23:59:59+08:00')
    expect(await entries(m, 'birthday')).toEqual([])
    await award('2026-03-01T00:00:00+08:00')
    await award('2026-03-15T09:00:00+08:00')
    expect(await entries(m, 'birthday')).toEqual([{ ref: 'birthday:2026', amount_points: 500 }])
    await award('2027-03-02T09:00:00+08:00')
    expect((await entries(m, 'birthday')).map((e) => e.ref)).toEqual(['birthday:2026', 'birthday:2027'])
  })

  test('a birthday set less than 30 days before it earns nothing that year, but does the next year', async () => {
    const exactly30 = await birthdayMember('2026-02-18T10:00:00+08:00', '1990-03-20') // 30 days before 03-20
    const only29 = await birthdayMember('2026-02-19T10:00:00+08:00', '1990-03-20')
    const after = await birthdayMember('2026-03-25T10:00:00+08:00', '1990-03-02') // set after this year's birthday
    await award('2026-03-26T09:00:00+08:00')
    expect(await entries(exactly30, 'birthday')).toHaveLength(1)
    expect(await entries(only29, 'birthday')).toEqual([])
    expect(await entries(after, 'birthday')).toEqual([])
    await award('2027-03-01T09:00:00+08:00')
    expect(await entries(only29, 'birthday')).toHaveLength(1)
    expect(await entries(after, 'birthday')).toHaveLength(1)
  })

  test('29 February birthdays count as 28 February in common years; parallel runs pay once', async () => {
    const m = await birthdayMember('2026-01-01T10:00:00+08:00', '2000-02-29')
    const runs = await Promise.all(Array.from({ length: 8 }, () => award('2027-02-10T09:00:00+08:00')))
    expect(runs.every((r) => r.status === 200)).toBe(true)
    expect(await entries(m, 'birthday')).toEqual([{ ref: 'birthday:2027', amount_points: 500 }])
  })

  test('only the scheduler may award birthday bonuses', async () => {
    const m = await aMember(db())
    expect((await db().call('award_birthday_bonuses', {})).status).toBe(401)
    expect((await db().call('award_birthday_bonuses', {}, { sub: m })).status).toBe(403)
  })
})

describe('bind_member_phone', () => {
  test('binds a verified phone once per number and records phone_bound', async () => {
    const m = await aMember(db(), { provider: 'wechat' })
    const other = await aMember(db(), { provider: 'wechat' })
    const ok = await db().call('bind_member_phone', { p_member_id: m, p_phone: '15900000001' }, 'service_role')
    expect(ok.body).toMatchObject({ id: m, phone: '15900000001' })
    const taken = await db().call('bind_member_phone', { p_member_id: other, p_phone: '15900000001' }, 'service_role')
    expect([taken.status, taken.body.message]).toEqual([409, 'phone_taken'])
    expect((await db().call('bind_member_phone', { p_member_id: m, p_phone: '123' }, 'service_role')).body.message).toBe('invalid_phone')
    expect((await db().call('bind_member_phone', { p_member_id: m, p_phone: '15900000002' }, { sub: m })).status).toBe(403)
    const { rows } = await db().admin.query(`select ref from public.task_events where member_id = $1 and event = 'phone_bound'`, [m])
    expect(rows).toEqual([{ ref: '15900000001' }])
  })
})

describe('me', () => {
  test('summarises profile, tier progress, balance, expiry, streak and staff role', async () => {
    const m = await aMember(db(), { at: '2026-11-01T10:00:00+08:00' })
    const res = await db().callAt('2026-11-23T12:00:00+08:00', 'me', {}, { sub: m })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: m,
      business_date: '2026-11-23',
      staff: null,
      tier: { code: 'basic', name: '普通会员', rank: 0, multiplier: 1 },
      qualifying_points: 100,
      next_tier: { code: 'silver', min_earned_points: 1000, points_needed: 900 },
      downgrade: null,
      balance_points: 100,
      pending_points: 0,
      expiring: { points: 100, expires_on: '2027-11-01' },
      streak_days: 0,
      checked_in_today: false,
    })
    expect(new Date(res.body.expiring.expires_at).toISOString()).toBe(new Date('2027-11-02T00:00:00+08:00').toISOString())
  })

  test('shows the staff role of a staff member', async () => {
    const res = await db().call('me', {}, { sub: '00000000-0000-4000-8000-000000000003' })
    expect(res.body.staff).toMatchObject({ role: 'clerk', store_name: '悦享咖啡·静安寺店' })
  })

  test('anon and unknown members get 401', async () => {
    expect((await db().call('me')).status).toBe(401)
    const ghost = await db().call('me', {}, { sub: '00000000-0000-4000-8000-0000000000ff' })
    expect([ghost.status, ghost.body.message]).toEqual([401, 'member_not_found'])
  })
})
