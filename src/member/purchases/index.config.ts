export default definePageConfig({
  navigationBarTitleText: '我的消费',
  onReachBottomDistance: 80,
  enablePullDownRefresh: true,
})
