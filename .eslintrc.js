// ESLint (npm run lint): Taro's React config (JSX, imports, variables, TypeScript, react-hooks rules) with
// every formatting rule turned off (eslint-config-prettier): Prettier formats, ESLint finds bugs.
module.exports = {
  root: true,
  extends: ['taro/react', 'prettier'],
  ignorePatterns: ['dist/', 'dist-console/', 'node_modules/', '.local/', 'screenshots/', 'src/services/database.types.ts'],
  rules: {
    // hooks: the rules of hooks are errors in Taro's config; missing dependencies are errors here too
    'react-hooks/exhaustive-deps': 'error',
    // the automatic JSX runtime (React 17+) needs no React in scope
    'react/react-in-jsx-scope': 'off',
    // `import qrcode from 'qrcode-generator'`: the package's default export is the same function
    'import/no-named-as-default': 'off',
    '@typescript-eslint/no-unused-vars': ['error', { args: 'none', ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
  },
  overrides: [
    // no React outside src/: jest setup helpers are called useSeededDb / useSeededApi
    {
      files: ['stack/**', 'test/**', 'config/**', '*.js', 'supabase/**'],
      env: { node: true },
      rules: { 'react-hooks/rules-of-hooks': 'off' },
    },
    // configuration read by Node, Babel, Jest and Taro: CommonJS
    { files: ['*.js', 'config/**/*.js', 'test/jest/*.js'], rules: { 'import/no-commonjs': 'off' } },
    { files: ['**/*.test.ts', '**/*.test.tsx', 'test/**'], env: { jest: true } },
    { files: ['supabase/functions/**'], globals: { Deno: 'readonly' } },
    // accessibility (docs/client.md "Accessibility"): screens use src/components/Button, which makes Taro's H5
    // button a real, named, focusable button; a tappable View / Text is a Tappable (a test checks that)
    {
      files: ['src/**/*.tsx'],
      excludedFiles: ['src/components/Button/**', '**/*.test.tsx'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [
              {
                name: '@tarojs/components',
                importNames: ['Button'],
                message: "Use src/components/Button (an accessible button on H5), not Taro's Button.",
              },
            ],
          },
        ],
      },
    },
  ],
}
