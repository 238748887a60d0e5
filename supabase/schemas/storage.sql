-- Supabase Storage (issue 15, docs/storage.md): who may read and write which objects. The storage schema, its
-- tables and path helpers belong to the platform (on the local stack: stack/bootstrap.sql); the buckets are rows
-- (a hand-written migration and supabase/config.toml [storage.buckets.*]); this file holds only the RLS
-- policies on storage.objects, which the Storage API (hosted, or stack/storage/ locally) applies by running
-- every object read and write as the caller's role with the caller's JWT claims.
--
--   item-images  public bucket: anyone reads through /object/public/…; operators (an active row in
--                public.operators) insert, update and delete; anyone may list and read rows.
--   avatars      public bucket: anyone reads a known path through /object/public/…; a signed-in member reads
--                (lists, signs), inserts, updates and deletes only under the folder named by their own id,
--                '<member id>/<file>' — so nobody can list other members' avatars.
--
-- An upsert (x-upsert: true, or PUT) needs insert, select and update on the row; a delete needs delete and select.

-- Whether the caller is an active operator: for policies, which run as the caller's role and cannot use the
-- private schema (private.require_operator raises instead of answering). security definer reads
-- public.operators, which no API role may read; it answers only about the caller.
create or replace function public.is_operator() returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (select 1 from public.operators o where o.member_id = (select auth.uid()) and o.active)
$$;
revoke all on function public.is_operator() from public, anon, authenticated, service_role;
grant execute on function public.is_operator() to authenticated;

create policy item_images_read_all on storage.objects for select to anon, authenticated
  using (bucket_id = 'item-images');
create policy item_images_insert_operator on storage.objects for insert to authenticated
  with check (bucket_id = 'item-images' and (select public.is_operator()));
create policy item_images_update_operator on storage.objects for update to authenticated
  using (bucket_id = 'item-images' and (select public.is_operator()))
  with check (bucket_id = 'item-images' and (select public.is_operator()));
create policy item_images_delete_operator on storage.objects for delete to authenticated
  using (bucket_id = 'item-images' and (select public.is_operator()));

create policy avatars_read_own on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy avatars_insert_own on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy avatars_update_own on storage.objects for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy avatars_delete_own on storage.objects for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
