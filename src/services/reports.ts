/**
 * 经营看板: the operator reports (managers only; a clerk gets not_manager, a member not_staff).
 * docs/operator-reports.md has the figures' definitions.
 */
import type { CheckInActives, DateRange, LiabilityByMonth, PointsDaily, ReportSummary, TopItems } from '../domain/reports'
import { staffRpc } from './session'

export type { CheckInActives, DateRange, LiabilityByMonth, PointsDaily, ReportSummary, TopItems }

/** How many items the 热门商品 list shows. */
export const TOP_ITEMS_LIMIT = 10

const range = (r: DateRange) => ({ p_from: r.from, p_to: r.to })

/** Issued / spent / expired / outstanding per business day (RPC `report_points_daily`). */
export function fetchPointsDaily(r: DateRange): Promise<PointsDaily> {
  return staffRpc('report_points_daily', range(r))
}

/** The range's totals and rates, and the current outstanding and liability (RPC `report_summary`). */
export function fetchSummary(r: DateRange): Promise<ReportSummary> {
  return staffRpc('report_summary', range(r))
}

/** The points still owed by the month they expire (RPC `report_liability_by_expiry_month`; not by range). */
export function fetchLiabilityByMonth(): Promise<LiabilityByMonth> {
  return staffRpc('report_liability_by_expiry_month')
}

/** Members who checked in, and make-ups, per business day (RPC `report_check_in_actives`). */
export function fetchCheckInActives(r: DateRange): Promise<CheckInActives> {
  return staffRpc('report_check_in_actives', range(r))
}

/** The items redeemed most in the range (RPC `report_top_items`). */
export function fetchTopItems(r: DateRange, limit = TOP_ITEMS_LIMIT): Promise<TopItems> {
  return staffRpc('report_top_items', { ...range(r), p_limit: limit })
}
