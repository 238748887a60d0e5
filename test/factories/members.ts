import type { TestDb } from '../support/db'

/** Members that supabase/seed.sql creates (dev sign-in by phone on the local stack). */
export const SEEDED = {
  lin: { id: '00000000-0000-4000-8000-000000000001', phone: '13800000001' },
  chen: { id: '00000000-0000-4000-8000-000000000002', phone: '13800000002' },
  staffWang: { id: '00000000-0000-4000-8000-000000000003', phone: '13900000001' },
  managerLi: { id: '00000000-0000-4000-8000-000000000004', phone: '13900000002' },
  operatorZhao: { id: '00000000-0000-4000-8000-000000000005', phone: '13900000009' },
} as const

let counter = 0

/**
 * A new member, signed up the way the `auth` function does it (register_member as service_role, so with
 * the registration bonus), optionally at a pinned instant. Returns the member id.
 */
export async function aMember(db: TestDb, opts: { at?: string; provider?: 'dev' | 'wechat' } = {}): Promise<string> {
  counter += 1
  const n = `${process.pid % 1000}${String(counter).padStart(5, '0')}`
  const args =
    opts.provider === 'wechat'
      ? { p_provider: 'wechat', p_subject: `openid-${n}-${Math.random().toString(36).slice(2)}` }
      : { p_provider: 'dev', p_subject: `137${n.padStart(8, '0').slice(-8)}` }
  const res = opts.at
    ? await db.callAt(opts.at, 'register_member', args, 'service_role')
    : await db.call('register_member', args, 'service_role')
  if (res.status !== 200) throw new Error(`register_member failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.id
}

/** The member's phone (a dev sign-in's subject), read as superuser. */
export async function phoneOf(db: TestDb, memberId: string): Promise<string> {
  return (await db.admin.query('select phone from public.members where id = $1', [memberId])).rows[0].phone
}

/** Points a member holds right now (the cached balance), read as superuser. */
export async function balanceOf(db: TestDb, memberId: string): Promise<number> {
  const { rows } = await db.admin.query(
    'select coalesce((select balance_points from public.point_balances where member_id = $1), 0) as n',
    [memberId],
  )
  return rows[0].n
}
