// Supabase Edge Function `auth` (deployed with verify_jwt = false: it is how a member gets a token).
import { handle } from './handler.ts'

Deno.serve(handle)
