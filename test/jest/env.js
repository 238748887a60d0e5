// Runs before each test file (setupFiles): environment the app code reads at import time.
process.env.TARO_ENV = 'h5'
process.env.TARO_PLATFORM = 'web'
process.env.TARO_APP_SUPABASE_URL = 'http://127.0.0.1:54321'
process.env.TARO_APP_SUPABASE_ANON_KEY = 'test-anon-key'
