import { purchasePointsLabel, purchaseStatus } from './purchases'

it('status: 已撤销, 待生效, 已到账, 未获积分', () => {
  expect(purchaseStatus({ status: 'voided', pending: false, points: 10 })).toEqual({ text: '已撤销', tone: 'voided' })
  expect(purchaseStatus({ status: 'awarded', pending: true, points: 10 })).toEqual({ text: '待生效', tone: 'pending' })
  expect(purchaseStatus({ status: 'awarded', pending: false, points: 10 })).toEqual({ text: '已到账', tone: 'done' })
  expect(purchaseStatus({ status: 'awarded', pending: false, points: 0 })).toEqual({ text: '未获积分', tone: 'done' })
})

it('points: with a campaign extra, taken back, nothing under ¥1', () => {
  expect(purchasePointsLabel({ status: 'awarded', points: 1200, campaign_points: 0 })).toBe('+1,200 积分')
  expect(purchasePointsLabel({ status: 'awarded', points: 100, campaign_points: 100 })).toBe('+200 积分（含活动加赠 100）')
  expect(purchasePointsLabel({ status: 'voided', points: 68, campaign_points: 68 })).toBe('136 积分已扣回')
  expect(purchasePointsLabel({ status: 'voided', points: 0, campaign_points: 0 })).toBe('未获积分')
  expect(purchasePointsLabel({ status: 'awarded', points: 0, campaign_points: 0 })).toBe('0 积分（不足 ¥1）')
})
