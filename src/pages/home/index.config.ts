export default definePageConfig({
  navigationBarTitleText: '积分会员',
  // the share menu and 分享到朋友圈 carry the member's invite code once it is known (src/pages/home)
  enableShareAppMessage: true,
  enableShareTimeline: true,
})
