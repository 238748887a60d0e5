-- The Storage bucket of members' 小程序码 images (docs/messages.md, the wxacode Edge Function): data, so written by
-- hand like 20261206053700_insert_storage_buckets. Private: no policy on storage.objects names it, so only
-- service_role (the function) reads and writes its objects; members get a signed URL from the function.
-- supabase/config.toml [storage.buckets.wxacodes] declares the same.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('wxacodes', 'wxacodes', false, 2097152, array['image/jpeg', 'image/png'])
on conflict (id) do update
  set name = excluded.name, public = excluded.public, file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types, updated_at = now();
