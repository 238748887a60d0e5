// Jest projects. Run one with `npx jest --selectProjects unit`.
// To add a project (e.g. `db`, `http` in a node environment), append one object to `projects`,
// reusing `transform` (babel-jest with babel.config.js) and, if needed, `transformIgnorePatterns`.
const path = require('node:path')

// babel-preset-taro reads these while transforming (and the code reads them at run time).
process.env.TARO_ENV = process.env.TARO_ENV || 'h5'
process.env.TARO_PLATFORM = process.env.TARO_PLATFORM || 'web'

/** TypeScript / JSX / ESM → CommonJS via the project's babel.config.js (babel-preset-taro). */
const transform = {
  '^.+\\.[cm]?[jt]sx?$': ['babel-jest', { configFile: path.join(__dirname, 'babel.config.js') }],
}

/**
 * node_modules stay untransformed, except files with an ESM-only package anywhere in their path:
 * Taro's packages bundle nested copies (…/@tarojs/components/lib/react/node_modules/.pnpm/…/tslib).
 */
const esmPackages = [
  '@tarojs',
  '@stencil',
  'swiper',
  'ssr-window',
  'dom7',
  'lodash-es',
  'query-string',
  'decode-uri-component',
  'split-on-first',
  'filter-obj',
  'nanoid',
]
const transformIgnorePatterns = [`^(?!.*/(?:${esmPackages.join('|')})/).*/node_modules/`]

/** Build-time constants Taro's webpack config defines (DefinePlugin) for the H5 runtime. */
const taroGlobals = {
  ENABLE_INNER_HTML: true,
  ENABLE_ADJACENT_HTML: true,
  ENABLE_SIZE_APIS: true,
  ENABLE_TEMPLATE_CONTENT: true,
  ENABLE_CLONE_NODE: true,
  ENABLE_CONTAINS: true,
  ENABLE_MUTATION_OBSERVER: true,
  DEPRECATED_ADAPTER_COMPONENT: false,
  // the build's constant (config/index.ts): the theme's colours as values (src/styles/colors.ts)
  THEME_COLORS: require('./config/theme-colors').themeColors(),
}

/** Unit + component tests for src/ and the console's pure helpers (jsdom, Taro's H5 implementation). */
const unit = {
  displayName: 'unit',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/console/src/**/*.test.{ts,tsx}'],
  transform,
  transformIgnorePatterns,
  globals: taroGlobals,
  moduleNameMapper: {
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '^@tarojs/taro$': '<rootDir>/test/jest/taro.js',
    '\\.(css|scss|sass|less)(\\.js)?$': '<rootDir>/test/jest/style-stub.js',
  },
  setupFiles: ['<rootDir>/test/jest/env.js'],
  setupFilesAfterEnv: ['<rootDir>/test/jest/setup-after-env.ts'],
}

/**
 * Database, local-stack and HTTP tests (Node): one embedded Postgres per run (test/support/cluster.ts),
 * one database per test file. TypeScript via babel for the current Node; no Taro involved.
 */
const node = {
  displayName: 'node',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{stack,supabase,test,config}/**/*.test.ts'],
  transform: {
    '^.+\\.[cm]?[jt]sx?$': [
      'babel-jest',
      { babelrc: false, configFile: false, presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'] },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
}

/**
 * The ledger's suites again on a database switched to partitions (supabase/scale/partition_point_entries.sql,
 * docs/capacity.md §4): the same behaviour and invariants on the layout a large program runs.
 */
const partitioned = {
  ...node,
  displayName: 'partitioned',
  testMatch: [
    'ledger',
    'expiry',
    'mall',
    'purchases',
    'check_ins',
    'task_claims',
    'referrals',
    'campaigns',
    'tiers',
    'report_rollups',
    'concurrency',
    'concurrency.storm',
    'operators',
    'exports',
    'security',
    'rls_matrix',
  ].map((suite) => `<rootDir>/supabase/tests/${suite}.test.ts`),
  setupFiles: ['<rootDir>/test/jest/partitioned-layout.js'],
}

module.exports = {
  projects: [unit, node, partitioned],
  // a global option (Jest ignores it inside a project): DB and stack tests outlast the 5 s default on a loaded machine
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
}
