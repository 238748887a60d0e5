import type { UserConfigExport } from '@tarojs/cli'

export default {
  mini: {},
  h5: {
    // Relative asset paths: dist/h5 can be served from any host or sub-path.
    publicPath: './',
    // Content hashes for long-term caching; the dev server keeps plain names (hot updates change hashes).
    output: {
      filename: 'js/[name].[contenthash:8].js',
      chunkFilename: 'js/[name].[contenthash:8].js',
    },
    miniCssExtractPluginOption: {
      ignoreOrder: true,
      filename: 'css/[name].[contenthash:8].css',
      chunkFilename: 'css/[name].[contenthash:8].css',
    },
  },
} satisfies UserConfigExport<'webpack5'>
