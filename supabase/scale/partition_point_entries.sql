-- Partition public.point_entries by ranges of month-based ids, online (docs/capacity.md §4). Run once, when the table nears the
-- sizes in docs/capacity.md, with `npm run db:partition` (or psql -f): three transactions, of which only the
-- second holds an exclusive lock, for about a second (measured in `npm run bench`, BENCH_ONLY=partition).
--
-- The layout it leaves:
--   * public.point_entries is partitioned by range of id. Every row written before this script stays where
--     it is: the table becomes the partition private.point_entries_legacy, ids [minvalue, B). Nothing is
--     copied or rebuilt; its indexes become the parent's.
--   * Month k (year × 12 + month − 1, in the program's time zone) owns the ids [k × 10^10, (k + 1) × 10^10);
--     B is the base of the month this runs in. ids stay below 2^53 (≈ 2.4 × 10^14 in 2026), exact as JSON
--     numbers. A partition spans private.entry_partition_months() of them (12: a year, aligned to January;
--     the first one runs from B to the next January), private.point_entries_<yyyy_mm of its first month>.
--   * private.roll_entry_partitions(), run daily (pg_cron here when the extension is there; the local stack
--     and tests call it), creates the next period's partition ahead and, once a month has started, moves the
--     id sequence to its base. Until it runs, entries keep landing in the previous month's ids: only a label.
--     No partition is ever split, detached or validated, so no writer ever waits for it.
--   * History pages (`member_id … order by id desc limit 20`) become an ordered Append over the partitions,
--     newest first, which stops once it has its rows: a page reads the newest partitions only.
--   * The natural key (member_id, source, ref) and "reversed once" (the reversal's key is reverse:<id>)
--     cannot be a unique index of a table partitioned on id; private.entry_keys holds the keys written from
--     now on (primary key), and the legacy partition keeps its own unique index, which the same guard
--     checks. A duplicate is refused with 23505, as before.
--   * Lookups by natural key or by reverses_entry_id that do not bound id probe each partition's index once.
--
-- Needs PostgreSQL ≥ 13; the functions of the ledger are unchanged.

-- 1. Online: prove that every existing id lies below B, so that attaching the table needs no scan under the
-- exclusive lock (VALIDATE takes SHARE UPDATE EXCLUSIVE: writers go on).
create or replace function private.entry_month_base(p_at timestamptz) returns bigint
language sql stable
set search_path = ''
as $$
  select ((extract(year from p_at at time zone private.program_time_zone())::bigint * 12
           + extract(month from p_at at time zone private.program_time_zone())::bigint - 1) * 10000000000)
$$;
revoke all on function private.entry_month_base(timestamptz) from public;

do $$
begin
  if (select c.relkind from pg_class c where c.oid = 'public.point_entries'::regclass) = 'p' then
    raise exception 'public.point_entries is already partitioned';
  end if;
  alter table public.point_entries drop constraint if exists point_entries_legacy_range; -- from a run stopped here
  execute format('alter table public.point_entries add constraint point_entries_legacy_range check (id < %s) not valid',
                 private.entry_month_base(private.clock_now()));
end
$$;
alter table public.point_entries validate constraint point_entries_legacy_range;

-- 2. The switch, under an exclusive lock: rename, create the parent, attach, re-point. Catalogue work only,
-- except the self-reference (reverses_entry_id), which PostgreSQL < 18 must validate on a partitioned table.
begin;
set local search_path = public; -- the saved definitions name the table as public.point_entries or point_entries
lock table public.point_entries in access exclusive mode;

create table private.entry_keys (
  member_id uuid not null,
  source text not null,
  ref text not null,
  entry_id bigint not null,
  primary key (member_id, source, ref)
);
alter table private.entry_keys enable row level security;
revoke all on private.entry_keys from public, anon, authenticated, service_role;

do $$
declare
  -- B, read back from the constraint step 1 validated (it stays on the legacy partition)
  v_base bigint := (select substring(pg_get_constraintdef(c.oid) from '(\d+)')::bigint from pg_constraint c
                    where c.conrelid = 'public.point_entries'::regclass and c.conname = 'point_entries_legacy_range');
  v_fk record;
  v_trigger record;
  v_index record;
  v_def text;
begin
  -- the foreign keys that point at the table are re-created on the parent below (their definitions first)
  create temporary table partition_fks on commit drop as
  select c.conrelid::regclass as tbl, c.conname, pg_get_constraintdef(c.oid) as def
  from pg_constraint c
  where c.confrelid = 'public.point_entries'::regclass and c.contype = 'f';
  for v_fk in select * from partition_fks loop
    execute format('alter table %s drop constraint %I', v_fk.tbl, v_fk.conname);
  end loop;
  -- triggers move to the parent (row triggers are cloned onto every partition from there)
  create temporary table partition_triggers on commit drop as
  select t.tgname, pg_get_triggerdef(t.oid) as def
  from pg_trigger t where t.tgrelid = 'public.point_entries'::regclass and not t.tgisinternal;
  for v_trigger in select * from partition_triggers loop
    execute format('drop trigger %I on public.point_entries', v_trigger.tgname);
  end loop;
  -- the indexes that are not unique are re-created on the parent below, where each attaches its twin
  create temporary table partition_indexes on commit drop as
  select pg_get_indexdef(i.indexrelid) as def
  from pg_index i where i.indrelid = 'public.point_entries'::regclass and not i.indisunique;

  alter table public.point_entries alter column id drop identity;
  alter table public.point_entries rename to point_entries_legacy;
  alter table public.point_entries_legacy set schema private;
  -- the parent takes the indexes' names; the legacy partition's get a suffix
  for v_index in select i.indexrelid::regclass::text as name, c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
                 where i.indrelid = 'private.point_entries_legacy'::regclass loop
    execute format('alter index %s rename to %I', v_index.name, v_index.relname || '_legacy');
  end loop;

  create table public.point_entries (like private.point_entries_legacy including defaults including constraints)
    partition by range (id);
  alter table public.point_entries drop constraint point_entries_legacy_range;
  create sequence public.point_entries_id_seq owned by public.point_entries.id;
  perform setval('public.point_entries_id_seq', v_base, false);
  alter table public.point_entries alter column id set default nextval('public.point_entries_id_seq');
  execute format('alter table public.point_entries attach partition private.point_entries_legacy for values from (minvalue) to (%s)', v_base);

  -- the parent's indexes: each attaches the legacy partition's equal index (no build). The unique ones other
  -- than the primary key cannot exist on a table partitioned by id: the natural key is guarded below, and each
  -- later partition gets them as plain indexes (private.roll_entry_partitions)
  alter table public.point_entries add constraint point_entries_pkey primary key (id);
  for v_def in select def from partition_indexes loop
    execute v_def; -- written before the rename: on public.point_entries, now the parent
  end loop;

  for v_trigger in select * from partition_triggers loop
    execute v_trigger.def; -- written before the rename: it names public.point_entries, now the parent
  end loop;
  for v_fk in select * from partition_fks loop
    if v_fk.tbl = 'private.point_entries_legacy'::regclass then
      execute format('alter table public.point_entries add constraint %I %s', v_fk.conname, v_fk.def);
    else
      execute format('alter table %s add constraint %I %s not valid', v_fk.tbl, v_fk.conname, v_fk.def);
    end if;
  end loop;
end
$$;

alter table public.point_entries enable row level security;
revoke all on public.point_entries from anon, authenticated, service_role;
grant select on public.point_entries to authenticated, service_role;
create policy point_entries_read_own on public.point_entries for select to authenticated using (member_id = (select auth.uid()));
revoke all on private.point_entries_legacy from public, anon, authenticated, service_role;

-- The natural-key guard: keys written from now on are unique in entry_keys; a key the legacy partition
-- already holds is refused too (that partition receives no rows any more, so the check cannot race).
create or replace function private.guard_entry_keys() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from new_entries n join private.point_entries_legacy l
             on l.member_id = n.member_id and l.source = n.source and l.ref = n.ref) then
    raise exception 'duplicate key value violates unique constraint "point_entries_member_id_source_ref_key"'
      using errcode = '23505';
  end if;
  insert into private.entry_keys (member_id, source, ref, entry_id)
  select n.member_id, n.source, n.ref, n.id from new_entries n;
  return null;
end
$$;
revoke all on function private.guard_entry_keys() from public;

create trigger point_entries_keys after insert on public.point_entries
  referencing new table as new_entries
  for each statement execute function private.guard_entry_keys();

-- How many months one partition spans, aligned to the calendar (12: a partition a year, January to December;
-- 1 would be a partition a month). ids are month-based either way; what the span decides is how many
-- partitions a query that cannot prune must probe. Measured (docs/capacity.md §4): monthly partitions cost the
-- writes about 1 % and an unprepared history page about 0.1 ms of planning per partition, so after years of
-- months they cost more than they give; a year per partition keeps the count at one a year. Change it with
-- create or replace before the next period begins.
create or replace function private.entry_partition_months() returns integer
language sql immutable
set search_path = ''
as $$ select 12 $$;
revoke all on function private.entry_partition_months() from public;

-- The partitions and their id ranges (from_id null: minvalue), read from the catalogue.
create or replace function private.entry_partitions()
returns table (partition regclass, created_xmin xid, from_id bigint, to_id bigint)
language sql stable
set search_path = ''
as $$
  select c.oid::regclass, c.xmin,
         substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid) from 'FROM \(''(\d+)''\)')::bigint,
         substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid) from 'TO \(''(\d+)''\)')::bigint
  from pg_catalog.pg_inherits h join pg_catalog.pg_class c on c.oid = h.inhrelid
  where h.inhparent = 'public.point_entries'::regclass
$$;
revoke all on function private.entry_partitions() from public;

-- Partitions: the current period's and the next one's, created ahead, with the per-partition indexes the
-- parent cannot carry (natural key, reverses_entry_id); and the sequence moved to the month's base once the
-- month has begun. A partition is named after its first month.
create or replace function private.roll_entry_partitions(p_now timestamptz default private.clock_now())
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_month bigint := private.entry_month_base(p_now) / 10000000000; -- k
  v_span integer := private.entry_partition_months();
  v_covered bigint;
  v_start bigint;
  v_from bigint;
  v_to bigint;
  v_name text;
begin
  perform pg_catalog.pg_advisory_xact_lock(hashtext('private.roll_entry_partitions'));
  -- read under the lock (a concurrent roll may just have added one): partitions are only ever added above
  -- the highest bound, so everything below it is covered (or was skipped over: the sequence never goes there)
  v_covered := (select max(p.to_id) from private.entry_partitions() p) / 10000000000;
  -- a partition is made apart and attached (SHARE UPDATE EXCLUSIVE on the parent, not the ACCESS EXCLUSIVE of
  -- CREATE TABLE … PARTITION OF); attaching still locks the parent for its foreign key briefly. Writers never
  -- queue behind a roll for longer than this: one that cannot get its locks fails and runs again the next day,
  -- a period ahead of need.
  perform set_config('lock_timeout', '1s', true);
  v_start := v_month - v_month % v_span;
  for i in 0..1 loop
    v_to := v_start + (i + 1) * v_span;
    -- what is covered already (the legacy partition, an earlier roll, a span since changed) is not again
    v_from := greatest(v_start + i * v_span, v_covered);
    continue when v_from >= v_to;
    v_name := 'point_entries_' || to_char(make_date((v_from / 12)::integer, (v_from % 12)::integer + 1, 1), 'YYYY_MM');
    execute format('create table private.%I (like public.point_entries including defaults including constraints)', v_name);
    execute format('alter table private.%I enable row level security', v_name);
    execute format('revoke all on private.%I from public, anon, authenticated, service_role', v_name);
    execute format('create index on private.%I (member_id, source, ref)', v_name);
    execute format('create index on private.%I (reverses_entry_id) where reverses_entry_id is not null', v_name);
    execute format('alter table public.point_entries attach partition private.%I for values from (%s) to (%s)',
                   v_name, v_from * 10000000000, v_to * 10000000000);
    v_covered := v_to;
  end loop;
  -- setval is not transactional: the sequence moves only into a partition that an earlier, committed
  -- transaction created (were this transaction to make it and then roll back, every write would find no
  -- partition); a period made just now is moved into by the next roll
  if (select s.last_value from public.point_entries_id_seq s) < v_month * 10000000000
     and exists (select 1 from private.entry_partitions() p
                 where p.created_xmin::text <> (pg_catalog.pg_current_xact_id()::text::numeric % 4294967296)::text
                   and p.from_id <= v_month * 10000000000 and p.to_id > v_month * 10000000000) then
    perform setval('public.point_entries_id_seq', v_month * 10000000000, false);
  end if;
end
$$;
revoke all on function private.roll_entry_partitions(timestamptz) from public;

-- the period the switch runs in (from B) and the next one
select private.roll_entry_partitions();
commit;

-- 3. Online: validate the re-pointed foreign keys (SHARE UPDATE EXCLUSIVE on each referencing table).
do $$
declare
  v_fk record;
begin
  for v_fk in select c.conrelid::regclass as tbl, c.conname from pg_constraint c
              where c.confrelid = 'public.point_entries'::regclass and c.contype = 'f' and not c.convalidated loop
    execute format('alter table %s validate constraint %I', v_fk.tbl, v_fk.conname);
  end loop;
end
$$;

-- Daily, where pg_cron is installed (Supabase): the roll is idempotent.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('roll-entry-partitions', '7 0 * * *', 'select private.roll_entry_partitions()');
  end if;
end
$$;
