/**
 * The store manager's own store (docs/staff.md 店长): its staff (list, add a clerk by phone, change a clerk's
 * daily cap, deactivate a clerk) and its members (those who bought there: look-up and detail). Managers only:
 * the backend refuses clerks (`not_manager`) and members (`not_staff`), and answers nothing about other stores.
 */
import type { SetClerkResult, StaffRow, StoreMember, StoreMemberDetail, StoreStaff } from '../domain/responses'
import { staffRpc } from './session'

export type { SetClerkResult, StaffRow, StoreMember, StoreMemberDetail, StoreStaff }

/** The store's staff with today's awarded points against each cap, and its open invitations (RPC `staff_list_store_staff`). */
export function fetchStoreStaff(): Promise<StoreStaff> {
  return staffRpc('staff_list_store_staff')
}

/**
 * Make the member with this phone a clerk of the store, or invite the phone when nobody signed in with it yet
 * (RPC `staff_set_clerk`). `staff_elsewhere` when the phone is staff of another store or a manager.
 */
export function addClerk(phone: string, capPoints: number): Promise<SetClerkResult> {
  return staffRpc('staff_set_clerk', { p_phone: phone, p_daily_award_cap_points: capPoints })
}

/** Change an active clerk's daily award cap (RPC `staff_set_clerk_cap`). */
export function setClerkCap(memberId: string, capPoints: number): Promise<StaffRow> {
  return staffRpc('staff_set_clerk_cap', { p_member_id: memberId, p_daily_award_cap_points: capPoints })
}

/** Deactivate a clerk of the store, with a reason (RPC `staff_deactivate_clerk`). */
export function deactivateClerk(memberId: string, reason: string): Promise<StaffRow> {
  return staffRpc('staff_deactivate_clerk', { p_member_id: memberId, p_reason: reason })
}

/** The store's member a full phone, member code or member id names (RPC `staff_find_members`): [] when none. */
export function findStoreMembers(query: string): Promise<StoreMember[]> {
  return staffRpc('staff_find_members', { p_query: query })
}

/** One member of the store with their purchases there (RPC `staff_store_member_detail`). */
export function fetchStoreMember(memberId: string): Promise<StoreMemberDetail> {
  return staffRpc('staff_store_member_detail', { p_member_id: memberId })
}
