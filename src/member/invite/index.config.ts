export default definePageConfig({
  navigationBarTitleText: '邀请有礼',
  // the mini-program's share menu and <Button openType='share'> use useShareAppMessage; 分享到朋友圈
  // useShareTimeline (both carry the invite code)
  enableShareAppMessage: true,
  enableShareTimeline: true,
})
