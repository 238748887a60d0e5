/** Members that supabase/seed.sql creates (dev sign-in by phone on the local stack). */
export const SEEDED = {
  lin: { id: '00000000-0000-4000-8000-000000000001', phone: '13800000001' },
  chen: { id: '00000000-0000-4000-8000-000000000002', phone: '13800000002' },
  staffWang: { id: '00000000-0000-4000-8000-000000000003', phone: '13900000001' },
} as const
