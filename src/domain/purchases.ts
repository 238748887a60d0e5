/** 我的消费 (issue 17): how a purchase of `list_my_purchases` reads. Pure TypeScript. */
import { formatPoints } from './format'
import type { MyPurchase } from './responses'

export type { MyPurchase }

export interface PurchaseStatus {
  text: string
  tone: 'done' | 'pending' | 'voided'
}

/** 已撤销 (refunded: its points were taken back), 待生效 (points held), 已到账. */
export function purchaseStatus(p: Pick<MyPurchase, 'status' | 'pending' | 'points'>): PurchaseStatus {
  if (p.status === 'voided') return { text: '已撤销', tone: 'voided' }
  if (p.pending) return { text: '待生效', tone: 'pending' }
  return { text: p.points > 0 ? '已到账' : '未获积分', tone: 'done' }
}

/** '+68 积分', '+100 积分（含活动加赠 50）'; a voided purchase's points were taken back: '68 积分已扣回'. */
export function purchasePointsLabel(p: Pick<MyPurchase, 'status' | 'points' | 'campaign_points'>): string {
  const total = p.points + p.campaign_points
  if (p.status === 'voided') return total > 0 ? `${formatPoints(total)} 积分已扣回` : '未获积分'
  if (total === 0) return '0 积分（不足 ¥1）'
  return p.campaign_points > 0
    ? `+${formatPoints(total)} 积分（含活动加赠 ${formatPoints(p.campaign_points)}）`
    : `+${formatPoints(total)} 积分`
}
