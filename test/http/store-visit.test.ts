// A store visit over HTTP, as the apps make it: real supabase-js clients against the local API, members and
// staff signed in through the `auth` Edge Function. A new member binds 林小满's invite code and shows her
// rotating member code; the clerk previews it and awards a purchase; she redeems a coupon; the clerk
// verifies the voucher; the manager reads the day's figures. The ledger invariants hold at the end.
import { randomUUID } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
import { LOCAL_ANON_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { client, useSeededApi } from '../support/api'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer

const seededApi = useSeededApi()
beforeAll(() => {
  ;({ db, api } = seededApi())
})

async function signIn(phone: string): Promise<{ sb: SupabaseClient; member: any }> {
  const res = await fetch(`${api.url}/functions/v1/auth`, {
    method: 'POST',
    headers: { apikey: LOCAL_ANON_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ provider: 'dev', phone }),
  })
  expect(res.status).toBe(200)
  const body = await res.json()
  return { sb: client(api, body.access_token), member: body.member }
}

async function rpc(sb: SupabaseClient, fn: string, args: Record<string, unknown> = {}) {
  const { data, error } = await sb.rpc(fn, args)
  if (error) throw new Error(`${fn}: ${error.message}`)
  return data
}

test('sign up with an invite, earn in store, redeem, verify, and the manager sees it', async () => {
  const shopper = await signIn('13712345678')
  const clerk = await signIn(SEEDED.staffWang.phone)
  const manager = await signIn(SEEDED.managerLi.phone)
  const lin = await signIn(SEEDED.lin.phone)

  // a new member binds the invite code she was shared
  const { invite_code } = await rpc(lin.sb, 'list_invitees')
  expect(await rpc(shopper.sb, 'bind_referrer', { p_invite_code: invite_code, p_channel: 'share' })).toMatchObject({
    status: 'pending',
    referrer: { nickname: '林小满' },
  })

  // the member code: the clerk previews it and awards ¥88.80 (the seed's 会员日 campaign doubles it, capped)
  const code = await rpc(shopper.sb, 'issue_member_code')
  expect(typeof code.token).toBe('string')
  const preview = await rpc(clerk.sb, 'staff_preview_member', { p_member_code: code.token })
  expect(preview).toMatchObject({ is_self: false })
  const orderRef = `POS-${Date.now()}`
  const award = await rpc(clerk.sb, 'staff_award_purchase', {
    p_member_code: code.token,
    p_amount_fen: 8880,
    p_order_ref: orderRef,
    p_request_id: randomUUID(),
  })
  expect(award).toMatchObject({ amount_fen: 8880, points: 88, campaign_points: 88 })
  // a member cannot call staff functions
  const refused = await shopper.sb.rpc('staff_award_purchase', {
    p_member_code: code.token,
    p_amount_fen: 100,
    p_order_ref: 'X1',
    p_request_id: randomUUID(),
  })
  expect(refused.error?.message).toBe('not_staff')

  // her first check-in completes the referral: 100 points each
  expect(await rpc(shopper.sb, 'check_in')).toMatchObject({ points: 5 })
  const me = await rpc(shopper.sb, 'me')
  expect(me.balance_points).toBe(100 + 88 + 88 + 5 + 100)

  // she redeems the ¥10 coupon; the clerk previews and verifies the voucher once
  const redemption = await rpc(shopper.sb, 'redeem_item', {
    p_item_id: '00000000-0000-4000-b000-000000000001',
    p_request_id: randomUUID(),
  })
  expect(redemption).toMatchObject({ status: 'issued', cost_points: 100 })
  expect(await rpc(clerk.sb, 'staff_verify_redemption', { p_voucher_code: redemption.voucher_code })).toMatchObject({ status: 'issued' })
  expect(
    await rpc(clerk.sb, 'staff_verify_redemption', {
      p_voucher_code: redemption.voucher_code,
      p_confirm: true,
      p_request_id: randomUUID(),
    }),
  ).toMatchObject({ status: 'verified' })
  const again = await clerk.sb.rpc('staff_verify_redemption', { p_voucher_code: redemption.voucher_code, p_confirm: true })
  expect(again.error?.message).toBe('already_verified')

  // the clerk's recent actions, newest first
  const actions = await rpc(clerk.sb, 'staff_recent_actions', { p_limit: 4 })
  expect(actions.map((a: any) => a.action)).toEqual(['verify_redemption', 'preview_redemption', 'award_purchase', 'preview_member'])

  // the manager's figures for today include all of it; a clerk may not read them
  const today = me.business_date
  const summary = await rpc(manager.sb, 'report_summary', { p_from: today, p_to: today })
  expect(summary.redeemed_points).toBeGreaterThanOrEqual(100)
  expect(summary.issued_points).toBeGreaterThanOrEqual(100 + 88 + 88 + 5 + 200)
  const denied = await clerk.sb.rpc('report_summary', { p_from: today, p_to: today })
  expect(denied.error?.message).toBe('not_manager')

  await expectLedgerInvariants(db)
})
