import type { UserConfigExport } from '@tarojs/cli'

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  // The dev server serves from memory at the root; a relative publicPath would make it answer index.html for scripts.
  h5: { publicPath: '/' },
} satisfies UserConfigExport<'webpack5'>
