// Supabase Edge Function `send-messages` (service_role only): the outbox sender (docs/messages.md).
import { handle } from './handler.ts'

Deno.serve(handle)
