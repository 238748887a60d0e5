// The pinned clock, business errors, the calling member, client request ids.
// No RPC of the core raises a business error yet, so this file's database gets two probe RPCs (only here).
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const asOf = (at: string | null, sql: string, params: unknown[] = []) => db().sqlAt(at, sql, params)

beforeAll(async () => {
  // Created before the first API call, so the handler's schema cache has them.
  await db().admin.query(`
    create function public.probe_raise(p_code text, p_status integer) returns void
    language plpgsql security definer set search_path = '' as $$
    begin
      perform private.raise_error(p_code, p_status);
    end $$;

    -- A member RPC with a request id: every run that gets past begin_request awards 1 point under a fresh key.
    create function public.probe_request(p_request_id uuid, p_note text) returns jsonb
    language plpgsql volatile security definer set search_path = '' as $$
    declare
      v_member uuid := private.require_member();
      v_prior jsonb := private.begin_request(v_member, p_request_id, 'probe_request', jsonb_build_object('note', p_note));
    begin
      if v_prior is not null then
        return v_prior;
      end if;
      perform pg_sleep(0.1); -- widen the window for concurrent duplicates
      return private.finish_request(v_member, p_request_id, jsonb_build_object(
        'entry_id', (private.award_points(v_member, 'adjustment', 1, gen_random_uuid()::text)).entry_id, 'note', p_note));
    end $$;`)
})

const adjustments = async (member: string) =>
  (await db().admin.query(`select count(*)::int as n from public.point_entries where member_id = $1 and source = 'adjustment'`, [member])).rows[0].n

test('clock_now is jifen.now when set, else now()', async () => {
  const [pinned] = await asOf('2025-02-28T23:30:00+08:00', 'select private.clock_now() as t, private.business_date(private.clock_now())::text as d')
  expect(pinned.t.toISOString()).toBe('2025-02-28T15:30:00.000Z')
  expect(pinned.d).toBe('2025-02-28')
  for (const at of [null, '']) {
    const [real] = await asOf(at, 'select private.clock_now() = now() as same')
    expect(real.same).toBe(true)
  }
})

test('raise_error: SQLSTATE PT<status>, the code as message, the status through the API', async () => {
  await expect(db().admin.query(`select private.raise_error('out_of_stock', 409)`)).rejects.toMatchObject({ code: 'PT409', message: 'out_of_stock' })
  await expect(db().admin.query(`select private.raise_error('bad_thing')`)).rejects.toMatchObject({ code: 'PT400', message: 'bad_thing' })
  for (const status of [400, 401, 403, 404, 409]) {
    const res = await db().call('probe_raise', { p_code: 'some_code', p_status: status }, 'anon')
    expect([res.status, res.body.message, res.body.code]).toEqual([status, 'some_code', `PT${status}`])
  }
})

test('require_member: not_authenticated for anon and service_role, member_not_found for an unknown sub', async () => {
  const args = { p_request_id: null, p_note: 'x' }
  for (const caller of ['anon', 'service_role'] as const) {
    const res = await db().call('probe_request', args, caller)
    expect([res.status, res.body.message]).toEqual([401, 'not_authenticated'])
  }
  const res = await db().call('probe_request', args, { sub: randomUUID() })
  expect([res.status, res.body.message]).toEqual([401, 'member_not_found'])
})

test('a retry with the same request id returns the first result and runs nothing again', async () => {
  const member = await aMember(db())
  const id = randomUUID()
  const first = await db().call('probe_request', { p_request_id: id, p_note: 'a' }, { sub: member })
  expect(first.status).toBe(200)
  expect(first.body).toEqual({ entry_id: expect.any(Number), note: 'a' })
  const retry = await db().call('probe_request', { p_request_id: id, p_note: 'a' }, { sub: member })
  expect(retry).toEqual(first)
  expect(await adjustments(member)).toBe(1)
  expect(await balanceOf(db(), member)).toBe(101)
  // without a request id every call runs
  await db().call('probe_request', { p_request_id: null, p_note: 'a' }, { sub: member })
  await db().call('probe_request', { p_request_id: null, p_note: 'a' }, { sub: member })
  expect(await adjustments(member)).toBe(3)
})

test('the same request id with other arguments (or another RPC) is request_id_reused (409)', async () => {
  const member = await aMember(db())
  const id = randomUUID()
  expect((await db().call('probe_request', { p_request_id: id, p_note: 'a' }, { sub: member })).status).toBe(200)
  const reused = await db().call('probe_request', { p_request_id: id, p_note: 'b' }, { sub: member })
  expect([reused.status, reused.body.message]).toEqual([409, 'request_id_reused'])
  await expect(asOf(null, `select private.begin_request($1, $2, 'other_rpc', '{"note":"a"}')`, [member, id]))
    .rejects.toMatchObject({ code: 'PT409', message: 'request_id_reused' })
  expect(await adjustments(member)).toBe(1)
  // request ids are per member: another member may use the same id
  const other = await aMember(db())
  expect((await db().call('probe_request', { p_request_id: id, p_note: 'b' }, { sub: other })).body.note).toBe('b')
})

test('a failed call stores nothing: its request id can be used again', async () => {
  const member = await aMember(db())
  const id = randomUUID()
  await expect(asOf(null, `
    select private.begin_request($1, $2, 'probe_request', '{"note":"a"}'), private.raise_error('boom', 500)`, [member, id])).rejects.toThrow('boom')
  const res = await db().call('probe_request', { p_request_id: id, p_note: 'other' }, { sub: member })
  expect([res.status, res.body.note]).toEqual([200, 'other'])
})

test('20 concurrent duplicates of one request (separate connections) run once and all get its result', async () => {
  const member = await aMember(db())
  const id = randomUUID()
  const results = await Promise.all(
    Array.from({ length: 20 }, () => db().call('probe_request', { p_request_id: id, p_note: 'race' }, { sub: member })),
  )
  expect(results.map((r) => r.status)).toEqual(Array(20).fill(200))
  expect(new Set(results.map((r) => r.body.entry_id)).size).toBe(1)
  expect(await adjustments(member)).toBe(1)
  expect(await balanceOf(db(), member)).toBe(101)
})

test('answers are checked against their composite types: a missing or extra key, nested too, is named', async () => {
  const { loadRpcShapes, rpcShapeErrors } = await import('../../test/support/rpc-shapes')
  const shapes = await loadRpcShapes(db().admin)
  const m = await aMember(db())
  const { status, body } = await db().call('check_in_calendar', {}, { sub: m })
  expect(status).toBe(200)
  expect(rpcShapeErrors(shapes, 'check_in_calendar', body)).toEqual([])
  const { month, ...noMonth } = body
  expect(month).toEqual(expect.any(String))
  expect(rpcShapeErrors(shapes, 'check_in_calendar', { ...noMonth, extra: 1 })).toEqual([
    'missing key "month" (public.check_in_calendar_result has it)',
    'extra key "extra" (public.check_in_calendar_result lacks it)',
  ])
  const days = body.days.map((d: Record<string, unknown>, i: number) => (i === 1 ? { ...d, cost_points: 0 } : d))
  expect(rpcShapeErrors(shapes, 'check_in_calendar', { ...body, days })).toEqual([
    'extra key "cost_points" at days[1] (public.calendar_day lacks it)',
  ])
  // json results (run_scheduled_jobs) and scalars are not checked
  expect(rpcShapeErrors(shapes, 'run_scheduled_jobs', { skipped: true })).toEqual([])
})
