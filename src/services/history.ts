/**
 * 积分明细: the member's own ledger rows (`point_entries`, in time order — newest first, ties by id — with keyset
 * paging on (created_at, id), the index `point_entries_member_time_idx`) and unexpired
 * lots (`point_lots`), read through PostgREST with the member's token (RLS shows a member only their rows).
 */
import {
  ENTRY_COLUMNS,
  expirySchedule,
  historyFilter,
  HISTORY_PAGE_SIZE,
  type ExpiryDay,
  type ExpiryLot,
  type HistoryFilter,
  type PointEntry,
} from '../domain/history'
import { EXPIRY_LOTS, POINT_ENTRIES } from '../domain/responses'
import { runQuery, shaped } from './rpc'
import { asMember } from './session'

export type { ExpiryDay, ExpiryLot, HistoryFilter, PointEntry }

/** Where the next page starts: the last row already shown. */
export type EntryCursor = Pick<PointEntry, 'created_at' | 'id'>

/**
 * One page of the member's entries under a tab, newest first (created_at desc, id desc); `after`: the last row
 * already shown. Ids are not in time order (a back-dated write, a purchase awarded after a later check-in), so
 * the keyset is (created_at, id): the rows at the same instant with a smaller id, then the rows before it — two
 * plain filters (PostgREST's `or=(…)` is not in the local stack), asked in parallel and merged.
 */
export function fetchEntries(filter: HistoryFilter = 'all', after?: EntryCursor | null): Promise<PointEntry[]> {
  const spec = historyFilter(filter)
  return asMember(async (client) => {
    const page = (narrow: (q: any) => any) => {
      let query = client.from('point_entries').select(ENTRY_COLUMNS)
      if (spec.kinds?.length === 1) query = query.eq('kind', spec.kinds[0])
      else if (spec.kinds) query = query.in('kind', spec.kinds)
      if (spec.sign === 1) query = query.gt('amount_points', 0)
      if (spec.sign === -1) query = query.lt('amount_points', 0)
      query = narrow(query)
      return runQuery(query.order('created_at', { ascending: false }).order('id', { ascending: false }).limit(HISTORY_PAGE_SIZE)).then(
        shaped(POINT_ENTRIES),
      )
    }
    if (!after) return page((q) => q)
    const [sameInstant, earlier] = await Promise.all([
      page((q) => q.eq('created_at', after.created_at).lt('id', after.id)),
      page((q) => q.lt('created_at', after.created_at)),
    ])
    return [...sameInstant, ...earlier].slice(0, HISTORY_PAGE_SIZE)
  })
}

/** The member's lots with points left that have not expired yet (pending ones included). */
export function fetchExpiryLots(now: Date = new Date()): Promise<ExpiryLot[]> {
  return asMember((client) =>
    runQuery(
      client
        .from('point_lots')
        .select('remaining_points,expires_at')
        .gt('remaining_points', 0)
        .gt('expires_at', now.toISOString())
        .order('expires_at', { ascending: true }),
    ).then(shaped(EXPIRY_LOTS)),
  )
}

/** The expiry schedule: points per last valid day, earliest first. */
export async function fetchExpirySchedule(): Promise<ExpiryDay[]> {
  return expirySchedule(await fetchExpiryLots())
}
