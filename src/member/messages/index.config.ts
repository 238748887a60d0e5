export default definePageConfig({
  navigationBarTitleText: '消息中心',
  // pull down to load the newest messages again (usePullDownRefresh)
  enablePullDownRefresh: true,
  // dark loading dots on the light page background
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 80,
})
