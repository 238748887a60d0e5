export default definePageConfig({
  navigationBarTitleText: '最近操作',
  onReachBottomDistance: 80,
})
