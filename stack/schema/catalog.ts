// The catalogue of a database as comparable text: every object a migration or a schema file can make in the
// project's schemas — tables and their columns, constraints, indexes, RLS flags, policies, triggers, views,
// types, sequences, functions (their whole definition as Postgres prints it), comments, grants (table, column,
// function, schema, default privileges) — one sorted line each. Two databases are "the same" when their
// catalogues are equal; `diffCatalogs` names the lines that differ. Used by the schema/migration agreement
// test and by `npm run db:diff` to check what it generated.
import type { Client } from 'pg'

/** Schemas the project owns. The platform's own (auth, extensions, storage, supabase_migrations) come from stack/bootstrap.sql. */
export const PROJECT_SCHEMAS = ['public', 'private']
/**
 * Platform schemas whose tables the project's migrations give RLS policies (storage.objects, as on Supabase):
 * their policies are compared, nothing else of them (the tables, functions and grants are the bootstrap's).
 */
export const PLATFORM_POLICY_SCHEMAS = ['storage']

/** An ACL as sorted text, NULL read as the owner's default: equal rights print equally whatever order or form they were granted in. */
const acl = (column: string, kind: string, owner: string) =>
  `(select coalesce(string_agg(x::text, ',' order by x::text), '') from unnest(coalesce(${column}, acldefault(${kind}, ${owner}))) x)`

const QUERIES: Record<string, string> = {
  schema: `select n.nspname || ' owner=' || pg_get_userbyid(n.nspowner) || ' acl=' || ${acl('n.nspacl', "'n'", 'n.nspowner')}
           from pg_namespace n where n.nspname = any($1)`,
  relation: `select c.relkind::text || ' ' || n.nspname || '.' || c.relname || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
                    || ' acl=' || ${acl('c.relacl', "(case when c.relkind = 'S' then 's' else 'r' end)::\"char\"", 'c.relowner')} || ' options=' || coalesce(c.reloptions::text, '')
             from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c')`,
  column: `select n.nspname || '.' || c.relname || ' #' || row_number() over (partition by c.oid order by a.attnum) || ' ' || a.attname
                  || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
                  || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                  || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
                  || case when a.attgenerated <> '' then ' generated ' || a.attgenerated::text else '' end
                  || coalesce(' collate ' || nullif(co.collname, 'default'), '')
                  || coalesce(' acl=' || (select string_agg(x::text, ',' order by x::text) from unnest(a.attacl) x), '')
           from pg_attribute a
           join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
           left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
           left join pg_collation co on co.oid = a.attcollation and a.attcollation <> 0
             and a.attcollation <> (select typcollation from pg_type where oid = a.atttypid)
           where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped`,
  constraint: `select n.nspname || '.' || coalesce(c.relname, t.typname) || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid, true)
                      || case when k.condeferrable then ' deferrable' else '' end || case when k.convalidated then '' else ' not valid' end
               from pg_constraint k join pg_namespace n on n.oid = k.connamespace
               left join pg_class c on c.oid = k.conrelid left join pg_type t on t.oid = k.contypid
               where n.nspname = any($1)`,
  index: `select pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
          join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1)`,
  policy: `select schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd || ' to ' || roles::text
                  || ' using (' || coalesce(qual, '') || ') check (' || coalesce(with_check, '') || ')'
           from pg_policies where schemaname = any($1) or schemaname = any(array[${PLATFORM_POLICY_SCHEMAS.map((s) => `'${s}'`).join(', ')}])`,
  trigger: `select pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text from pg_trigger t join pg_class c on c.oid = t.tgrelid
            join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1) and not t.tgisinternal`,
  view: `select n.nspname || '.' || c.relname || ' as ' || pg_get_viewdef(c.oid, true) from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1) and c.relkind in ('v', 'm')`,
  type: `select t.typtype::text || ' ' || n.nspname || '.' || t.typname || ' ' || coalesce(
                  (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
                  format_type(t.typbasetype, t.typtypmod) || case when t.typnotnull then ' not null' else '' end, '')
                  || ' acl=' || ${acl('t.typacl', "'T'", 't.typowner')}
         from pg_type t join pg_namespace n on n.oid = t.typnamespace
         where n.nspname = any($1) and t.typtype in ('e', 'd', 'c', 'r')
           and (t.typtype <> 'c' or (select relkind from pg_class where oid = t.typrelid) = 'c')`,
  sequence: `select n.nspname || '.' || c.relname || ' ' || format_type(s.seqtypid, null) || ' start ' || s.seqstart || ' inc ' || s.seqincrement
                    || ' owned by ' || coalesce((select dn.nspname || '.' || dc.relname || '.' || da.attname from pg_depend d
                       join pg_class dc on dc.oid = d.refobjid join pg_namespace dn on dn.oid = dc.relnamespace
                       join pg_attribute da on da.attrelid = d.refobjid and da.attnum = d.refobjsubid
                       where d.objid = c.oid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')), '-')
             from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1)`,
  function: `select pg_get_functiondef(p.oid) || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || ${acl('p.proacl', "'f'", 'p.proowner')}
             from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = any($1) and p.prokind in ('f', 'p')`,
  comment: `select d.classoid::regclass || ' ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ' = ' || d.description
            from pg_description d where pg_describe_object(d.classoid, d.objoid, d.objsubid) is not null
              and exists (select 1 from pg_namespace n where n.nspname = any($1) and n.oid = coalesce(
                (select relnamespace from pg_class where oid = d.objoid and d.classoid = 'pg_class'::regclass),
                (select pronamespace from pg_proc where oid = d.objoid and d.classoid = 'pg_proc'::regclass),
                (select typnamespace from pg_type where oid = d.objoid and d.classoid = 'pg_type'::regclass),
                (select connamespace from pg_constraint where oid = d.objoid and d.classoid = 'pg_constraint'::regclass),
                (select oid from pg_namespace where oid = d.objoid and d.classoid = 'pg_namespace'::regclass)))`,
  default_acl: `select pg_get_userbyid(d.defaclrole) || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' ' || (select string_agg(x::text, ',' order by x::text) from unnest(d.defaclacl) x)
                from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
  extension: `select e.extname || ' in ' || n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace`,
}

export type Catalog = Record<string, string[]>

/** Every object of the project's schemas (and the cluster-wide default privileges and extensions), as sorted lines per kind. */
export async function readCatalog(client: Client, schemas: string[] = PROJECT_SCHEMAS): Promise<Catalog> {
  const catalog: Catalog = {}
  for (const [kind, sql] of Object.entries(QUERIES)) {
    const { rows } = await client.query<{ line: string }>(`select line from (${sql}) as q(line)`, sql.includes('$1') ? [schemas] : [])
    catalog[kind] = rows.map((r) => r.line).sort()
  }
  return catalog
}

/** The lines only one side has, per kind ('-' left only, '+' right only); empty when the catalogues are equal. */
export function diffCatalogs(left: Catalog, right: Catalog): string[] {
  const out: string[] = []
  for (const kind of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const l = new Set(left[kind] ?? [])
    const r = new Set(right[kind] ?? [])
    for (const line of l) if (!r.has(line)) out.push(`- ${kind}: ${line}`)
    for (const line of r) if (!l.has(line)) out.push(`+ ${kind}: ${line}`)
  }
  return out
}
