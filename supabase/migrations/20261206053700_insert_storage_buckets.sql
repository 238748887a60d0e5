-- The Storage buckets (docs/storage.md), as rows: data, so written by hand (like insert_program_defaults).
-- Both public (objects are served by /storage/v1/object/public/<bucket>/<key> without a token); writes are
-- decided by the RLS policies on storage.objects (supabase/schemas/storage.sql). 2 MiB and images only,
-- enforced by the Storage API on every upload. supabase/config.toml [storage.buckets.*] declares the same.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('item-images', 'item-images', true, 2097152, array['image/jpeg', 'image/png', 'image/webp']),
  ('avatars', 'avatars', true, 2097152, array['image/jpeg', 'image/png', 'image/webp'])
on conflict (id) do update
  set name = excluded.name, public = excluded.public, file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types, updated_at = now();
