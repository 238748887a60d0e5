-- update_profile refuses what only looks filled in (found by the fuzz test, docs/reliability.md):
--  * a nickname is trimmed of every Unicode white space, as the client's String.prototype.trim does (btrim
--    only took ASCII spaces: '\t\n', U+3000 IDEOGRAPHIC SPACE or U+200B passed as a nickname and completed the
--    profile task), and may not contain control characters;
--  * an avatar URL may not contain white space or control characters ('https://a b' was accepted).
create or replace function private.trim_space(p_text text) returns text
language sql immutable
set search_path = ''
as $$
  -- JavaScript's trim set (WhiteSpace + LineTerminator), plus U+200B ZERO WIDTH SPACE
  select btrim(p_text, U&' \0009\000A\000B\000C\000D\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\200B\2028\2029\202F\205F\3000\FEFF')
$$;

revoke all on function private.trim_space(text) from public;

-- RPC update_profile (member): change nickname / avatar / birthday (null = keep). The birthday may be set
-- once and then changed at most once per birthday_edit_interval_days. When nickname, avatar and birthday
-- are all filled in, the profile_completed task event is recorded. Returns the profile.
create or replace function public.update_profile(p_nickname text default null, p_avatar_url text default null, p_birthday date default null)
returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_rules public.point_rules := private.rules();
  v_now timestamptz := private.clock_now();
  v_member public.members;
  v_nickname text := private.trim_space(p_nickname);
begin
  if p_nickname is not null and (char_length(v_nickname) not between 1 and 32 or v_nickname ~ '[\u0001-\u001f\u007f-\u009f]') then
    perform private.raise_error('invalid_nickname', 400);
  end if;
  if p_avatar_url is not null and (p_avatar_url !~ '^https?://[^\u0001-\u0020\u007f-\u00a0\u3000]+$' or char_length(p_avatar_url) > 500) then
    perform private.raise_error('invalid_avatar_url', 400);
  end if;
  if p_birthday is not null and (p_birthday > private.business_date(v_now) or p_birthday < date '1900-01-01') then
    perform private.raise_error('invalid_birthday', 400);
  end if;

  select * into v_member from public.members where id = v_member_id for update;
  if p_birthday is not null and p_birthday is distinct from v_member.birthday then
    if v_member.birthday_set_at is not null
       and v_member.birthday_set_at > v_now - make_interval(days => v_rules.birthday_edit_interval_days) then
      perform private.raise_error('birthday_change_limited', 409);
    end if;
    v_member.birthday := p_birthday;
    v_member.birthday_set_at := v_now;
  end if;

  update public.members
  set nickname = coalesce(v_nickname, nickname),
      avatar_url = coalesce(p_avatar_url, avatar_url),
      birthday = v_member.birthday,
      birthday_set_at = v_member.birthday_set_at
  where id = v_member_id
  returning * into v_member;

  if v_member.avatar_url is not null and v_member.birthday is not null and v_member.nickname <> '' then
    perform private.record_task_event(v_member_id, 'profile_completed', 'profile');
  end if;
  return private.profile_json(v_member);
end
$$;

revoke all on function public.update_profile(text, text, date) from public, anon, authenticated, service_role;
grant execute on function public.update_profile(text, text, date) to authenticated;
