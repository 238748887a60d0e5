-- The report rollups (supabase/schemas/report_rollups.sql) start from the rows already written: data, so
-- written by hand. O(ledger) once; writers wait for it (it locks the rollup tables), none is counted twice.
select private.rebuild_report_rollups();
