export default definePageConfig({
  navigationBarTitleText: '邀请有礼',
  // the mini-program's share menu and <Button openType='share'> use useShareAppMessage
  enableShareAppMessage: true,
})
