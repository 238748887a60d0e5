// Supabase Edge Function `wxacode` (member JWT): the member's invite 小程序码 (docs/messages.md).
import { handle } from './handler.ts'

Deno.serve(handle)
