/**
 * The store manager's stores: his store's staff (with the writes that change it) and his store's members (the
 * look-up's answer and one member's detail).
 */
import type { SetClerkResult, StaffRow, StoreMember, StoreMemberDetail } from '../domain/responses'
import {
  addClerk as addClerkRpc,
  deactivateClerk as deactivateClerkRpc,
  fetchStoreMember,
  fetchStoreStaff,
  findStoreMembers,
  setClerkCap as setClerkCapRpc,
} from '../services/manager'
import { createResource, selectorHook, writeOr } from './resource'

/** `staff_list_store_staff`: the store's staff with today's awarded points, and its open invitations. */
export const storeStaffStore = createResource(fetchStoreStaff)
export const useStoreStaff = selectorHook(storeStaffStore)

/** Load the list again after a write: at once where it was loaded (it shows what the write changed). */
const reloadStaff = () => void storeStaffStore.getState().refresh()

/** Put a changed staff row into the list at once (the reload that follows brings the rest). */
function patchStaff(row: StaffRow) {
  const { data, set } = storeStaffStore.getState()
  if (!data) return
  set({
    ...data,
    staff: data.staff.map((s) =>
      s.member_id === row.member_id ? { ...s, active: row.active, daily_award_cap_points: row.daily_award_cap_points } : s,
    ),
  })
}

/** Add a clerk by phone (`staff_set_clerk`): a member becomes a clerk, an unknown phone gets an invitation. */
export async function addClerk(phone: string, capPoints: number): Promise<SetClerkResult> {
  const result = await addClerkRpc(phone, capPoints)
  reloadStaff()
  return result
}

/** Change a clerk's daily cap (`staff_set_clerk_cap`); a refusal reloads the list (he may have left meanwhile). */
export async function setClerkCap(memberId: string, capPoints: number): Promise<StaffRow> {
  const row = await writeOr(setClerkCapRpc(memberId, capPoints), reloadStaff)
  patchStaff(row)
  reloadStaff()
  return row
}

/** Deactivate a clerk with a reason (`staff_deactivate_clerk`); a refusal reloads the list. */
export async function deactivateClerk(memberId: string, reason: string): Promise<StaffRow> {
  const row = await writeOr(deactivateClerkRpc(memberId, reason), reloadStaff)
  patchStaff(row)
  reloadStaff()
  return row
}

/** The look-up's answer, with the query it answers (the screen shows results only for what was asked). */
export const memberSearchStore = createResource(async (query: string): Promise<{ query: string; members: StoreMember[] }> => ({
  query,
  members: await findStoreMembers(query),
}))
export const useMemberSearch = selectorHook(memberSearchStore)

/** One member of the store (`staff_store_member_detail`), with the id it is for. */
export const storeMemberStore = createResource(async (id: string): Promise<{ id: string; detail: StoreMemberDetail }> => ({
  id,
  detail: await fetchStoreMember(id),
}))
export const useStoreMember = selectorHook(storeMemberStore)
