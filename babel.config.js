// babel-preset-taro options: https://docs.taro.zone/docs/babel-config
// Also used by babel-jest (jest.config.js); under jest NODE_ENV is 'test'.
module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
        // react-refresh instruments components with $RefreshReg$ calls that only exist in the dev server
        hot: process.env.NODE_ENV !== 'test',
      },
    ],
  ],
}
