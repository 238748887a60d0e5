export default defineAppConfig({
  pages: ['pages/home/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTitleText: '积分会员',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f6f6f8',
  },
})
