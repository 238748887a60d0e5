/**
 * 积分明细: the member's own ledger rows (`point_entries`, newest first, keyset paging on `id`) and unexpired
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

/** One page of the member's entries under a tab, newest first; `beforeId`: the last id already shown. */
export function fetchEntries(filter: HistoryFilter = 'all', beforeId?: number | null): Promise<PointEntry[]> {
  const spec = historyFilter(filter)
  return asMember((client) => {
    let query = client.from('point_entries').select(ENTRY_COLUMNS)
    if (spec.kinds?.length === 1) query = query.eq('kind', spec.kinds[0])
    else if (spec.kinds) query = query.in('kind', spec.kinds)
    if (spec.sign === 1) query = query.gt('amount_points', 0)
    if (spec.sign === -1) query = query.lt('amount_points', 0)
    if (beforeId != null) query = query.lt('id', beforeId)
    return runQuery(query.order('id', { ascending: false }).limit(HISTORY_PAGE_SIZE)).then(shaped<PointEntry[]>(POINT_ENTRIES))
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
    ).then(shaped<ExpiryLot[]>(EXPIRY_LOTS)),
  )
}

/** The expiry schedule: points per last valid day, earliest first. */
export async function fetchExpirySchedule(): Promise<ExpiryDay[]> {
  return expirySchedule(await fetchExpiryLots())
}
