/** The backend the console talks to: the H5 app's settings (src/services/config.ts), baked in by vite.config.ts. */
export { anonKey, supabaseUrl as apiUrl } from '../../src/services/config'
