import type {
  SetClerkResult,
  StaffRow,
  StoreMember,
  StoreMemberDetail,
  StoreMemberPurchase,
  StoreStaff,
  StoreStaffInvitation,
  StoreStaffMember,
} from '../../src/domain/responses'

const STORE = '00000000-0000-4000-9000-000000000001'

/** A clerk of 静安寺店 as `staff_list_store_staff` lists him (店员王芳). */
export function aStoreStaffMember(overrides: Partial<StoreStaffMember> = {}): StoreStaffMember {
  return {
    member_id: '00000000-0000-4000-8000-000000000003',
    nickname: '店员王芳',
    phone: '139****0001',
    role: 'clerk',
    active: true,
    daily_award_cap_points: 20000,
    awarded_today_points: 1200,
    since: '2026-10-01T02:00:00Z',
    is_self: false,
    ...overrides,
  }
}

export const MANAGER_SELF = aStoreStaffMember({
  member_id: '00000000-0000-4000-8000-000000000004',
  nickname: '店长李强',
  phone: '139****0002',
  role: 'manager',
  awarded_today_points: 0,
  is_self: true,
})

export function anInvitation(overrides: Partial<StoreStaffInvitation> = {}): StoreStaffInvitation {
  return {
    id: '00000000-0000-4000-e000-000000000001',
    phone: '136****1234',
    role: 'clerk',
    daily_award_cap_points: 3000,
    invited_at: '2026-11-23T02:00:00Z',
    ...overrides,
  }
}

/** `staff_list_store_staff` of 静安寺店: the manager himself and 店员王芳 (override what a test needs). */
export function aStoreStaff(overrides: Partial<StoreStaff> = {}): StoreStaff {
  return {
    store_id: STORE,
    store_name: '悦享咖啡·静安寺店',
    business_date: '2026-11-23',
    staff: [MANAGER_SELF, aStoreStaffMember()],
    invitations: [],
    ...overrides,
  }
}

export function aStaffRow(overrides: Partial<StaffRow> = {}): StaffRow {
  return {
    member_id: '00000000-0000-4000-8000-000000000003',
    store_id: STORE,
    role: 'clerk',
    daily_award_cap_points: 20000,
    active: true,
    created_at: '2026-10-01T02:00:00Z',
    ...overrides,
  }
}

export function aSetClerkResult(kind: 'staff' | 'invitation', overrides: Partial<SetClerkResult> = {}): SetClerkResult {
  return {
    staff: kind === 'staff' ? aStaffRow({ member_id: '00000000-0000-4000-8000-000000000099' }) : null,
    invitation:
      kind === 'invitation'
        ? {
            id: '00000000-0000-4000-e000-000000000002',
            phone: '13655501234',
            store_id: STORE,
            role: 'clerk',
            daily_award_cap_points: 3000,
            created_at: '2026-11-23T02:00:00Z',
          }
        : null,
    ...overrides,
  }
}

/** 林小满 as `staff_find_members` finds her at 静安寺店. */
export function aStoreMember(overrides: Partial<StoreMember> = {}): StoreMember {
  return {
    member_id: '00000000-0000-4000-8000-000000000001',
    nickname: '林小满',
    phone: '138****0001',
    tier_code: 'silver',
    tier_name: '银卡会员',
    balance_points: 1280,
    first_purchase_at: '2026-10-01T02:00:00Z',
    last_purchase_at: '2026-11-23T02:00:00Z',
    purchase_count: 3,
    purchase_amount_fen: 12300,
    ...overrides,
  }
}

/** A purchase of ¥68 awarded by 店员王芳 on 2026-11-23 10:00 (Shanghai). */
export function aStoreMemberPurchase(overrides: Partial<StoreMemberPurchase> = {}): StoreMemberPurchase {
  return {
    purchase_id: '00000000-0000-4000-d000-000000000001',
    order_ref: 'POS-0001',
    amount_fen: 6800,
    points: 68,
    campaign_points: 0,
    status: 'awarded',
    business_date: '2026-11-23',
    created_at: '2026-11-23T02:00:00Z',
    awarded_by: { member_id: '00000000-0000-4000-8000-000000000003', nickname: '店员王芳' },
    voided_at: null,
    void_reason: null,
    ...overrides,
  }
}

/** `staff_store_member_detail` of 林小满: two purchases at the store, the newer one voided. */
export function aStoreMemberDetail(overrides: Partial<StoreMemberDetail> = {}): StoreMemberDetail {
  return {
    member: aStoreMember({ purchase_count: 1, purchase_amount_fen: 6800 }),
    avatar_url: null,
    member_since: '2026-09-01T02:00:00Z',
    tier_multiplier: 1.2,
    pending_points: 40,
    expiring: { points: 120, expires_on: '2026-12-31', expires_at: '2026-12-31T16:00:00Z' },
    purchase_points: 68,
    voided_count: 1,
    purchases: [
      aStoreMemberPurchase({
        purchase_id: '00000000-0000-4000-d000-000000000002',
        order_ref: 'POS-0002',
        amount_fen: 3200,
        points: 32,
        status: 'voided',
        created_at: '2026-11-23T03:00:00Z',
        voided_at: '2026-11-23T04:00:00Z',
        void_reason: '顾客退货',
      }),
      aStoreMemberPurchase(),
    ],
    ...overrides,
  }
}
