-- Reminders that arrive (issue 17, docs/messages.md): WeChat subscribe-message consent, one table of member
-- messages that is both the in-app 消息中心 and the outbox of the sender (the Edge Function send-messages), and
-- the sender's cached WeChat access token.
--
-- Where messages come from (each an explicit statement where the event happens; docs/backend.md "Where features
-- hook in"): private.enqueue_expiry_reminders (points expiring, vouchers about to expire; run_scheduled_jobs),
-- private.enqueue_check_in_reminders (a streak not yet continued today; run_scheduled_jobs),
-- staff_verify_redemption (voucher used), private.evaluate_tier (tier up), review_tiers and
-- private.undo_tier_upgrades_since (tier down). Every message has a natural dedupe key (unique): enqueuing the
-- same reminder twice inserts nothing the second time.
--
-- Sending: claim_outbox_messages (FOR UPDATE SKIP LOCKED, a lease, one consent credit taken per message) and
-- finish_outbox_message (sent / retry with backoff / dead after private.outbox_max_attempts() claims / refused /
-- failed). A message that cannot be sent (no credit, no WeChat openid) is 'skipped': it stays in the 消息中心.
--
-- Locks (docs/concurrency.md): messages and consents stand outside the member lock order like the member-code
-- advisory locks. Writers that create messages only insert (new rows, the dedupe key's index). The sender locks
-- message rows (skip locked), then consent rows; members lock their own consent rows, or their own messages
-- (mark_messages_read), and nothing else; no transaction locks a consent row and then a message row.

-- A WeChat subscribe-message template, as the app asks for it (requestSubscribeMessage) and as the sender
-- configures it (WECHAT_TEMPLATE_<KEY>).
create or replace function private.is_message_template_key(p_key text) returns boolean
language sql immutable
as $$
  select p_key in ('points_expiring', 'voucher_expiring', 'voucher_used', 'tier_changed', 'check_in_reminder')
$$;
revoke all on function private.is_message_template_key(text) from public;

-- The template a message kind is sent with (null: none).
create or replace function private.message_template_key(p_kind text) returns text
language sql immutable
as $$
  select case
    when p_kind ~ '^points_expiring_[0-9]+d$' then 'points_expiring'
    when p_kind in ('voucher_expiring', 'voucher_used', 'check_in_reminder') then p_kind
    when p_kind in ('tier_up', 'tier_down') then 'tier_changed'
  end
$$;
revoke all on function private.message_template_key(text) from public;

-- Consent per member and template. WeChat's one-time subscriptions: each 'accept' allows ONE message of that
-- template, so credits count them; the sender takes one per message it sends. 'ban' (the member switched the
-- template off in WeChat's settings) clears the credits: nothing is sent until a later 'accept'. 'reject' and
-- 'filter' (WeChat filtered the template) only record the answer. WeChat answering 43101 (no subscription) also
-- clears the credits (finish_outbox_message 'refused'): our count had drifted from WeChat's.
create table private.subscribe_consents (
  member_id uuid not null references public.members (id),
  template_key text not null check (private.is_message_template_key(template_key)),
  credits integer not null default 0 check (credits >= 0),
  last_result text not null check (last_result in ('accept', 'reject', 'ban', 'filter')),
  updated_at timestamptz not null default now(),
  primary key (member_id, template_key)
);
alter table private.subscribe_consents enable row level security;
revoke all on private.subscribe_consents from public, anon, authenticated, service_role;

-- The member's messages: the 消息中心 (title, body, link, read_at) and the outbox (status …). status:
--   pending  waiting for the sender (next_attempt_at: not before)
--   sending  claimed by a sender until claimed_until (its lease); a lease that ran out is claimed again
--   sent     WeChat accepted it (sent_at)
--   skipped  not sent, for good: no consent credit, no WeChat openid (an H5-only member), or WeChat answered
--            43101 (the member refused); still shown in the app
--   dead     given up: private.outbox_max_attempts() claims, or an error retrying cannot fix (last_error)
create table public.member_messages (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  kind text not null check (kind ~ '^points_expiring_[0-9]+d$'
                            or kind in ('voucher_expiring', 'voucher_used', 'tier_up', 'tier_down', 'check_in_reminder')),
  template_key text not null check (template_key = private.message_template_key(kind)),
  dedupe_key text not null unique check (char_length(dedupe_key) between 1 and 200),
  title text not null check (char_length(title) between 1 and 40),
  body text not null check (char_length(body) between 1 and 200),
  link text check (link ~ '^/[a-z0-9/_-]+(\?[A-Za-z0-9=&_.%-]*)?$'),
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'skipped', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  claim_token uuid,
  last_error text check (char_length(last_error) <= 500),
  sent_at timestamptz,
  check ((status = 'sending') = (claimed_until is not null and claim_token is not null)),
  check ((status = 'sent') = (sent_at is not null))
);
alter table public.member_messages enable row level security;
revoke all on public.member_messages from anon, authenticated, service_role;
grant select on public.member_messages to authenticated, service_role;

create policy member_messages_read_own on public.member_messages for select to authenticated
  using (member_id = (select auth.uid()));

create index member_messages_member_idx on public.member_messages (member_id, id desc);

create index member_messages_unread_idx on public.member_messages (member_id) where read_at is null;

create index member_messages_outbox_idx on public.member_messages (next_attempt_at, id) where status in ('pending', 'sending');

-- The reminder job's scan of vouchers still usable (private.enqueue_expiry_reminders).
create index redemptions_issued_expiry_idx on public.redemptions (expires_at) where status = 'issued';

-- Claims of one message before it is dead (a crash that lets a lease run out counts as a claim too).
create or replace function private.outbox_max_attempts() returns integer
language sql immutable
as $$
  select 5
$$;
revoke all on function private.outbox_max_attempts() from public;

-- How long a claim holds a message (a sender sends a batch well within it).
create or replace function private.outbox_lease() returns interval
language sql immutable
as $$
  select interval '120 seconds'
$$;
revoke all on function private.outbox_lease() from public;

-- Enqueue one message; null when its dedupe key was enqueued before (nothing changes then).
create or replace function private.enqueue_message(p_member_id uuid, p_kind text, p_dedupe_key text, p_title text,
  p_body text, p_link text, p_payload jsonb default '{}') returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_id bigint;
begin
  insert into public.member_messages (member_id, kind, template_key, dedupe_key, title, body, link, payload,
    created_at, next_attempt_at)
  values (p_member_id, p_kind, private.message_template_key(p_kind), p_dedupe_key, p_title, p_body, p_link,
    coalesce(p_payload, '{}'), private.clock_now(), private.clock_now())
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  return v_id;
end
$$;
revoke all on function private.enqueue_message(uuid, text, text, text, text, text, jsonb) from public;

-- The tier notice (tier_up / tier_down) of a tier change that just happened (evaluate_tier, review_tiers,
-- undo_tier_upgrades_since). One per member, kind and instant of the change.
create or replace function private.enqueue_tier_message(p_member_id uuid, p_kind text, p_tier_code text) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_tier public.tiers;
begin
  select * into v_tier from public.tiers where code = p_tier_code;
  return private.enqueue_message(p_member_id, p_kind,
    p_kind || ':' || p_member_id || ':' || p_tier_code || ':' || extract(epoch from private.clock_now())::text,
    case p_kind when 'tier_up' then '会员升级' else '会员等级调整' end,
    case p_kind
      when 'tier_up' then '恭喜升级为' || v_tier.name || '，消费积分享 ' || trim_scale(v_tier.multiplier)::text || ' 倍'
      else '您的会员等级已调整为' || v_tier.name || '，消费积分享 ' || trim_scale(v_tier.multiplier)::text || ' 倍'
    end,
    '/pages/home/index',
    jsonb_build_object('tier_code', v_tier.code, 'tier_name', v_tier.name, 'multiplier', v_tier.multiplier,
      'changed_at', private.clock_now()));
end
$$;
revoke all on function private.enqueue_tier_message(uuid, text, text) from public;

-- The voucher_used message of a verification (staff_verify_redemption, in its transaction).
create or replace function private.enqueue_voucher_used(p_redemption public.redemptions) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_store text := (select name from public.stores where id = p_redemption.verified_store_id);
begin
  return private.enqueue_message(p_redemption.member_id, 'voucher_used', 'voucher_used:' || p_redemption.id,
    '券已使用',
    '您的「' || p_redemption.item_title || '」已于' || coalesce(v_store, '门店') || '核销使用',
    '/member/redemptions/index',
    jsonb_build_object('redemption_id', p_redemption.id, 'item_title', p_redemption.item_title,
      'store_name', v_store, 'verified_at', p_redemption.verified_at));
end
$$;
revoke all on function private.enqueue_voucher_used(public.redemptions) from public;

-- The reminder job (run_scheduled_jobs): points expiring soon and vouchers about to expire, each reminder once
-- (its dedupe key). Points: per member and expiry day, the threshold is the smallest of
-- point_rules.expiry_reminder_days ({30, 7}) that covers the days left, so a member first seen 5 days before
-- gets only the 7-day reminder (kind points_expiring_<threshold>d: points_expiring_30d, points_expiring_7d).
-- Vouchers: an issued voucher whose last valid day is within the smallest threshold (7 days), once, unless it
-- was redeemed inside that window already (a voucher valid for 3 days is not "about to expire" when issued).
-- Returns { points, vouchers }: the messages enqueued.
create or replace function private.enqueue_expiry_reminders() returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_days integer[] := (select expiry_reminder_days from public.point_rules);
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(private.clock_now());
  v_voucher_days integer;
  v_points integer := 0;
  v_vouchers integer := 0;
begin
  if coalesce(cardinality(v_days), 0) = 0 then
    return jsonb_build_object('points', 0, 'vouchers', 0);
  end if;
  with due as (
    select e.member_id, e.points, e.expires_on,
           (select min(d) from unnest(v_days) d where d >= e.expires_on - v_today) as days_before
    from private.expiring_points((select max(d) from unnest(v_days) d)) e
  )
  insert into public.member_messages (member_id, kind, template_key, dedupe_key, title, body, link, payload,
    created_at, next_attempt_at)
  select due.member_id, 'points_expiring_' || due.days_before || 'd', 'points_expiring',
         'points_expiring:' || due.member_id || ':' || due.expires_on || ':' || due.days_before,
         '积分即将过期',
         '您有 ' || due.points || ' 积分将于 ' || to_char(due.expires_on, 'YYYY-MM-DD') || ' 过期，快去积分商城兑换吧',
         '/member/history/index',
         jsonb_build_object('points', due.points, 'expires_on', due.expires_on, 'days_before', due.days_before),
         v_now, v_now
  from due where due.days_before is not null
  on conflict (dedupe_key) do nothing;
  get diagnostics v_points = row_count;

  v_voucher_days := (select min(d) from unnest(v_days) d);
  insert into public.member_messages (member_id, kind, template_key, dedupe_key, title, body, link, payload,
    created_at, next_attempt_at)
  select r.member_id, 'voucher_expiring', 'voucher_expiring', 'voucher_expiring:' || r.id,
         '券即将过期',
         '您的「' || r.item_title || '」将于 ' || to_char(private.lot_expires_on(r.expires_at), 'YYYY-MM-DD') || ' 过期，请尽快使用',
         '/member/redemptions/index',
         jsonb_build_object('redemption_id', r.id, 'item_title', r.item_title,
           'expires_on', private.lot_expires_on(r.expires_at), 'expires_at', r.expires_at),
         v_now, v_now
  from public.redemptions r
  where r.status = 'issued'
    and r.expires_at > v_now
    and r.expires_at <= ((v_today + v_voucher_days + 1)::timestamp at time zone private.program_time_zone())
    and r.created_at < r.expires_at - make_interval(days => v_voucher_days)
  on conflict (dedupe_key) do nothing;
  get diagnostics v_vouchers = row_count;
  return jsonb_build_object('points', v_points, 'vouchers', v_vouchers);
end
$$;
revoke all on function private.enqueue_expiry_reminders() from public;

-- The local hour (program time zone) from which the day's check-in reminder is sent. A column of point_rules
-- added here, after the columns of the files before (the table's column order is the migrations' order).
alter table public.point_rules
  add column check_in_reminder_hour integer not null default 20 check (check_in_reminder_hour between 0 and 23);

-- The check-in reminder job (run_scheduled_jobs): from point_rules.check_in_reminder_hour (20:00 by default, in
-- the program's time zone) on, one message a day to each member who asked for it (a check_in_reminder consent
-- with credits left), checked in yesterday and not yet today: the streak breaks at midnight. The streak is
-- computed from the check-ins (private.streak_days, as the app shows it), not the stored streak_days of
-- yesterday's row (a make-up may have joined it to an earlier run since). Members without consent get nothing:
-- a reminder nobody asked for is noise in the 消息中心. Returns the messages enqueued.
create or replace function private.enqueue_check_in_reminders() returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(private.clock_now());
  v_hour integer := (select check_in_reminder_hour from public.point_rules);
  v_count integer;
begin
  if v_now < (v_today + make_interval(hours => v_hour))::timestamp at time zone private.program_time_zone() then
    return 0;
  end if;
  with due as (
    select c.member_id, private.streak_days(c.member_id, v_today - 1) as streak_days
    from private.subscribe_consents c
    join public.check_ins y on y.member_id = c.member_id and y.check_in_date = v_today - 1
    where c.template_key = 'check_in_reminder' and c.credits > 0
      and not exists (select 1 from public.check_ins t where t.member_id = c.member_id and t.check_in_date = v_today)
  )
  insert into public.member_messages (member_id, kind, template_key, dedupe_key, title, body, link, payload,
    created_at, next_attempt_at)
  select due.member_id, 'check_in_reminder', 'check_in_reminder', 'check_in_reminder:' || due.member_id || ':' || to_char(v_today, 'YYYY-MM-DD'),
         '签到提醒',
         '今天还没有签到，已连续签到 ' || due.streak_days || ' 天，记得来签到领积分',
         '/member/checkin/index',
         jsonb_build_object('date', v_today, 'streak_days', due.streak_days),
         v_now, v_now
  from due
  order by due.member_id
  on conflict (dedupe_key) do nothing;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
revoke all on function private.enqueue_check_in_reminders() from public;

-- The answer of record_subscribe_consent: how many templates were accepted (one credit each).
create type public.record_subscribe_consent_result as (
  accepted integer
);

-- RPC record_subscribe_consent (member): what requestSubscribeMessage answered, as an object of template keys
-- (points_expiring, voucher_expiring, voucher_used, tier_changed, check_in_reminder) to results (accept,
-- reject, ban, filter). An unknown key or result, or anything but an object: invalid_subscribe_result (400),
-- nothing changed. 'accept' adds one credit, 'ban' clears them (see private.subscribe_consents).
create or replace function public.record_subscribe_consent(p_results jsonb)
returns public.record_subscribe_consent_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_accepted integer;
begin
  if p_results is null or jsonb_typeof(p_results) <> 'object' or exists (
    select 1 from jsonb_each(p_results) e
    where not private.is_message_template_key(e.key)
       or jsonb_typeof(e.value) <> 'string'
       or e.value #>> '{}' not in ('accept', 'reject', 'ban', 'filter')) then
    perform private.raise_error('invalid_subscribe_result', 400);
  end if;
  insert into private.subscribe_consents as c (member_id, template_key, credits, last_result, updated_at)
  select v_member, e.key, case when e.value #>> '{}' = 'accept' then 1 else 0 end, e.value #>> '{}', private.clock_now()
  from jsonb_each(p_results) e
  order by e.key
  on conflict (member_id, template_key) do update
    set credits = case excluded.last_result when 'accept' then c.credits + 1 when 'ban' then 0 else c.credits end,
        last_result = excluded.last_result,
        updated_at = excluded.updated_at;
  v_accepted := (select count(*) from jsonb_each(p_results) e where e.value #>> '{}' = 'accept');
  return json_populate_record(null::public.record_subscribe_consent_result, json_build_object('accepted', v_accepted));
end
$$;
revoke all on function public.record_subscribe_consent(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.record_subscribe_consent(jsonb) to authenticated;

-- One element of list_my_messages.
create type public.my_message as (
  id bigint,
  kind text,
  title text,
  body text,
  link text,
  created_at timestamptz,
  read_at timestamptz
);

-- RPC list_my_messages (member, read-only): own messages newest first, p_limit (1–50) at a time, ids below
-- p_before_id when paging (the last id of the page before).
create or replace function public.list_my_messages(p_before_id bigint default null, p_limit integer default 20)
returns public.my_message[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
begin
  if p_limit is null or p_limit not between 1 and 50 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  return private.jsonb_populate_array(null::public.my_message, coalesce((
    select jsonb_agg(jsonb_build_object('id', m.id, 'kind', m.kind, 'title', m.title, 'body', m.body, 'link', m.link,
             'created_at', m.created_at, 'read_at', m.read_at) order by m.id desc)
    from (
      select * from public.member_messages x
      where x.member_id = v_member and (p_before_id is null or x.id < p_before_id)
      order by x.id desc
      limit p_limit
    ) m
  ), '[]'));
end
$$;
revoke all on function public.list_my_messages(bigint, integer) from public, anon, authenticated, service_role;
grant execute on function public.list_my_messages(bigint, integer) to authenticated;

-- The answer of mark_messages_read and count_unread_messages: the member's unread messages.
create type public.unread_messages_result as (
  unread_count integer
);

create or replace function private.unread_count(p_member_id uuid) returns integer
language sql stable
as $$
  select count(*)::integer from public.member_messages m where m.member_id = p_member_id and m.read_at is null
$$;
revoke all on function private.unread_count(uuid) from public;

-- RPC mark_messages_read (member): own unread messages with ids up to p_up_to_id (null: all) read now.
-- Returns how many stay unread (newer ones).
create or replace function public.mark_messages_read(p_up_to_id bigint default null)
returns public.unread_messages_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
begin
  update public.member_messages set read_at = private.clock_now()
  where member_id = v_member and read_at is null and (p_up_to_id is null or id <= p_up_to_id);
  return json_populate_record(null::public.unread_messages_result,
    json_build_object('unread_count', private.unread_count(v_member)));
end
$$;
revoke all on function public.mark_messages_read(bigint) from public, anon, authenticated, service_role;
grant execute on function public.mark_messages_read(bigint) to authenticated;

-- RPC count_unread_messages (member, read-only): the badge on the home screen.
create or replace function public.count_unread_messages()
returns public.unread_messages_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
begin
  return json_populate_record(null::public.unread_messages_result,
    json_build_object('unread_count', private.unread_count(v_member)));
end
$$;
revoke all on function public.count_unread_messages() from public, anon, authenticated, service_role;
grant execute on function public.count_unread_messages() to authenticated;

-- One message handed to the sender: what it needs to call subscribeMessage.send, and the claim to finish it with.
create type public.outbox_message as (
  id bigint,
  member_id uuid,
  kind text,
  template_key text,
  openid text,
  title text,
  body text,
  link text,
  payload jsonb,
  created_at timestamptz,
  attempts integer,
  claim_token uuid,
  claimed_until timestamptz
);

-- The answer of claim_outbox_messages: the claimed messages to send, and how many were skipped (not sendable)
-- or given up (dead: a lease ran out on the last attempt) on the way.
create type public.claim_outbox_messages_result as (
  messages public.outbox_message[],
  skipped integer,
  dead integer
);

-- RPC claim_outbox_messages (service_role: the sender): up to p_limit (1–100) due messages (pending with
-- next_attempt_at reached, or sending with a lease that ran out: a sender that crashed), oldest due first,
-- FOR UPDATE SKIP LOCKED (concurrent senders never get the same message and never wait). Each claim counts as an
-- attempt, sets a lease (private.outbox_lease()) and a new claim token. A message's first claim takes one
-- consent credit of its template from the member; no WeChat openid (an H5-only member) or no credit: 'skipped'.
-- The consent row is taken with SKIP LOCKED too (a sender never waits: one whose consent row another sender
-- holds leaves that message pending for the next claim).
-- A lease that ran out on the last attempt: 'dead' (lease_expired).
create or replace function public.claim_outbox_messages(p_limit integer default 20)
returns public.claim_outbox_messages_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_msg public.member_messages;
  v_openid text;
  v_out jsonb := '[]';
  v_skipped integer := 0;
  v_dead integer := 0;
  v_token uuid;
  v_credits integer;
begin
  perform private.require_scheduler();
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  for v_msg in
    select * from public.member_messages m
    where m.status in ('pending', 'sending') and m.next_attempt_at <= v_now
      and (m.status = 'pending' or m.claimed_until <= v_now)
    order by m.next_attempt_at, m.id
    limit p_limit
    for update skip locked
  loop
    if v_msg.status = 'sending' and v_msg.attempts >= private.outbox_max_attempts() then
      update public.member_messages
      set status = 'dead', claimed_until = null, claim_token = null, last_error = 'lease_expired'
      where id = v_msg.id;
      v_dead := v_dead + 1;
      continue;
    end if;
    v_credits := null;
    if v_msg.attempts = 0 then
      -- the first claim: is the message sendable at all? (a retry or a crashed claim took its credit already)
      v_openid := (select i.subject from private.member_identities i
                   where i.member_id = v_msg.member_id and i.provider = 'wechat' order by i.created_at limit 1);
      if v_openid is null then
        update public.member_messages set status = 'skipped', last_error = 'no_openid' where id = v_msg.id;
        v_skipped := v_skipped + 1;
        continue;
      end if;
      -- the consent row without waiting: another sender taking a credit of this member and template holds it
      -- (two senders waiting for each other's consent rows could deadlock); then the message waits for the next
      -- claim, still pending
      select c.credits into v_credits from private.subscribe_consents c
      where c.member_id = v_msg.member_id and c.template_key = v_msg.template_key
      for update skip locked;
      if not found and exists (select 1 from private.subscribe_consents c
                               where c.member_id = v_msg.member_id and c.template_key = v_msg.template_key) then
        continue;
      end if;
      if coalesce(v_credits, 0) = 0 then
        update public.member_messages set status = 'skipped', last_error = 'no_consent' where id = v_msg.id;
        v_skipped := v_skipped + 1;
        continue;
      end if;
      update private.subscribe_consents set credits = credits - 1, updated_at = v_now
      where member_id = v_msg.member_id and template_key = v_msg.template_key;
    else
      v_openid := (select i.subject from private.member_identities i
                   where i.member_id = v_msg.member_id and i.provider = 'wechat' order by i.created_at limit 1);
    end if;
    v_token := gen_random_uuid();
    update public.member_messages
    set status = 'sending', attempts = attempts + 1, claimed_until = v_now + private.outbox_lease(), claim_token = v_token
    where id = v_msg.id
    returning * into v_msg;
    v_out := v_out || jsonb_build_object('id', v_msg.id, 'member_id', v_msg.member_id, 'kind', v_msg.kind,
      'template_key', v_msg.template_key, 'openid', v_openid, 'title', v_msg.title, 'body', v_msg.body,
      'link', v_msg.link, 'payload', v_msg.payload, 'created_at', v_msg.created_at, 'attempts', v_msg.attempts,
      'claim_token', v_token, 'claimed_until', v_msg.claimed_until);
  end loop;
  return jsonb_populate_record(null::public.claim_outbox_messages_result, jsonb_build_object(
    'messages', v_out, 'skipped', v_skipped, 'dead', v_dead));
end
$$;
revoke all on function public.claim_outbox_messages(integer) from public, anon, authenticated, service_role;
grant execute on function public.claim_outbox_messages(integer) to service_role;

-- The answer of finish_outbox_message: the message's send state afterwards.
create type public.finish_outbox_message_result as (
  id bigint,
  status text,
  attempts integer,
  next_attempt_at timestamptz,
  last_error text
);

-- RPC finish_outbox_message (service_role: the sender): the outcome of a claimed message, under its claim token
-- (a sender whose lease ran out and whose message was claimed again gets lease_lost 409 and changes nothing).
--   sent     WeChat accepted it
--   retry    a passing failure (rate limit, system busy, network, HTTP 5xx, a token that stayed invalid): pending
--            again after 1, 2, 4, 8 … minutes (2^(attempts-1)), or dead once private.outbox_max_attempts() claims
--            were made
--   refused  WeChat 43101 (the member has no subscription left): skipped, and the template's credits cleared
--   failed   an error retrying cannot fix (a template id that is not configured, a rejected openid or data): dead
-- p_error (≤ 500 characters kept) says why, for the dead letters.
create or replace function public.finish_outbox_message(p_id bigint, p_claim_token uuid, p_outcome text,
  p_error text default null)
returns public.finish_outbox_message_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_msg public.member_messages;
  v_error text := left(p_error, 500);
begin
  perform private.require_scheduler();
  if p_outcome is null or p_outcome not in ('sent', 'retry', 'refused', 'failed') then
    perform private.raise_error('invalid_outcome', 400);
  end if;
  select * into v_msg from public.member_messages where id = p_id for update;
  if not found then
    perform private.raise_error('message_not_found', 404);
  end if;
  if v_msg.status <> 'sending' or v_msg.claim_token is distinct from p_claim_token then
    perform private.raise_error('lease_lost', 409);
  end if;
  case p_outcome
    when 'sent' then
      update public.member_messages
      set status = 'sent', sent_at = v_now, claimed_until = null, claim_token = null, last_error = null
      where id = p_id returning * into v_msg;
    when 'retry' then
      update public.member_messages
      set status = case when attempts >= private.outbox_max_attempts() then 'dead' else 'pending' end,
          next_attempt_at = case when attempts >= private.outbox_max_attempts() then next_attempt_at
                                 else v_now + make_interval(mins => power(2, attempts - 1)::integer) end,
          claimed_until = null, claim_token = null, last_error = coalesce(v_error, 'retry')
      where id = p_id returning * into v_msg;
    when 'refused' then
      update public.member_messages
      set status = 'skipped', claimed_until = null, claim_token = null, last_error = coalesce(v_error, 'refused')
      where id = p_id returning * into v_msg;
      update private.subscribe_consents set credits = 0, updated_at = v_now
      where member_id = v_msg.member_id and template_key = v_msg.template_key;
    else
      update public.member_messages
      set status = 'dead', claimed_until = null, claim_token = null, last_error = coalesce(v_error, 'failed')
      where id = p_id returning * into v_msg;
  end case;
  return json_populate_record(null::public.finish_outbox_message_result, json_build_object(
    'id', v_msg.id, 'status', v_msg.status, 'attempts', v_msg.attempts, 'next_attempt_at', v_msg.next_attempt_at,
    'last_error', v_msg.last_error));
end
$$;
revoke all on function public.finish_outbox_message(bigint, uuid, text, text) from public, anon, authenticated, service_role;
grant execute on function public.finish_outbox_message(bigint, uuid, text, text) to service_role;

-- WeChat's access token (cgi-bin/stable_token), shared by every sender and the wxacode function: one per appid,
-- valid until expires_at. No API role reads it; the functions use the two RPCs below as service_role.
create table private.wechat_access_tokens (
  appid text primary key check (char_length(appid) between 1 and 64),
  access_token text not null check (char_length(access_token) between 1 and 2000),
  expires_at timestamptz not null,
  updated_at timestamptz not null default now()
);
alter table private.wechat_access_tokens enable row level security;
revoke all on private.wechat_access_tokens from public, anon, authenticated, service_role;

-- The answer of get_wechat_access_token / save_wechat_access_token (both null: no usable token cached).
create type public.wechat_access_token as (
  access_token text,
  expires_at timestamptz
);

-- RPC get_wechat_access_token (service_role): the cached token of p_appid while it is valid for another
-- 5 minutes; nulls otherwise (the caller fetches a new one and saves it).
create or replace function public.get_wechat_access_token(p_appid text)
returns public.wechat_access_token
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_row private.wechat_access_tokens;
begin
  perform private.require_scheduler();
  select * into v_row from private.wechat_access_tokens
  where appid = p_appid and expires_at > private.clock_now() + interval '5 minutes';
  return json_populate_record(null::public.wechat_access_token, json_build_object(
    'access_token', v_row.access_token, 'expires_at', v_row.expires_at));
end
$$;
revoke all on function public.get_wechat_access_token(text) from public, anon, authenticated, service_role;
grant execute on function public.get_wechat_access_token(text) to service_role;

-- RPC save_wechat_access_token (service_role): cache a token fetched from WeChat. invalid_access_token (400):
-- empty or over 2,000 characters, or an expiry not in the future.
create or replace function public.save_wechat_access_token(p_appid text, p_access_token text, p_expires_at timestamptz)
returns public.wechat_access_token
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_scheduler();
  if p_appid is null or char_length(p_appid) not between 1 and 64
     or p_access_token is null or char_length(p_access_token) not between 1 and 2000
     or p_expires_at is null or p_expires_at <= private.clock_now() or not isfinite(p_expires_at) then
    perform private.raise_error('invalid_access_token', 400);
  end if;
  insert into private.wechat_access_tokens (appid, access_token, expires_at, updated_at)
  values (p_appid, p_access_token, p_expires_at, private.clock_now())
  on conflict (appid) do update
    set access_token = excluded.access_token, expires_at = excluded.expires_at, updated_at = excluded.updated_at;
  return json_populate_record(null::public.wechat_access_token, json_build_object(
    'access_token', p_access_token, 'expires_at', p_expires_at));
end
$$;
revoke all on function public.save_wechat_access_token(text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.save_wechat_access_token(text, text, timestamptz) to service_role;
