import { useMemo } from 'react'

import { operatorRpc } from '../api/ops'
import { useLoad } from './useLoad'

export interface MemberNames {
  /** '林小满 13800000001' for a known id, else the id's start. */
  label: (id: string | null | undefined) => string
  error: string | null
}

/** Names and phones of members by id (op_member_names), for the people a list refers to. */
export function useMemberNames(ids: readonly (string | null | undefined)[]): MemberNames {
  const unique = useMemo(() => [...new Set(ids.filter((id): id is string => !!id))].sort().slice(0, 100), [ids])
  const key = unique.join(',')
  const names = useLoad(async () => (unique.length ? operatorRpc('op_member_names', { p_member_ids: unique }) : []), [key])
  return useMemo(() => {
    const byId = new Map((names.data ?? []).map((n) => [n.id, n]))
    return {
      label: (id) => {
        if (!id) return '—'
        const n = byId.get(id)
        return n ? `${n.nickname}${n.phone ? ` ${n.phone}` : ''}` : `${id.slice(0, 8)}…`
      },
      error: names.error,
    }
  }, [names.data, names.error])
}
