export default definePageConfig({
  navigationBarTitleText: '积分明细',
  // start loading the next page a little before the very bottom
  onReachBottomDistance: 120,
  enablePullDownRefresh: true,
})
