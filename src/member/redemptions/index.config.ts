export default definePageConfig({
  navigationBarTitleText: '我的兑换',
  onReachBottomDistance: 80,
  enablePullDownRefresh: true,
})
