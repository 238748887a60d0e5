-- Nicknames staff read must be visible (issue 13, SPEC "Visible names"): U+3164 HANGUL FILLER, U+2800 BRAILLE
-- PATTERN BLANK, U+200D ZERO WIDTH JOINER or a U+202E bidi override passed as a nickname (alone or among letters),
-- a clerk saw a blank or reversed name, and such a nickname still completed the 完善个人资料 task.
--
-- private.is_visible_name(text) is the rule (mirrored by the client, src/domain/profile.ts nicknameIsVisible):
--  * no format character (Unicode category Cf: soft hyphen, zero-width space / non-joiner / joiner, LRM / RLM,
--    bidi embeddings, overrides and isolates, word joiner, invisible operators, BOM, interlinear annotation,
--    Arabic / Syriac / Egyptian / musical format marks, tags) — except a ZERO WIDTH JOINER between two emoji
--    (family and profession emoji: 👨‍👩‍👧, 🧑‍💻, 🏳️‍🌈) and the tag characters of an emoji tag sequence
--    (🏴 + tags + CANCEL TAG: the flags of England, Scotland, Wales);
--  * no filler or blank that renders as nothing: Hangul fillers U+115F, U+1160, U+3164, U+FFA0, Braille blank
--    U+2800, Khmer inherent vowels U+17B4, U+17B5, line / paragraph separators U+2028, U+2029;
--  * at least one visible character: not only white space, joiners, variation selectors and combining marks.
-- The Cf table is Unicode 15.1's; Postgres has no \p{Cf} (and hosted Supabase may run Postgres 15), so the code
-- points are listed.
create or replace function private.is_visible_name(p_text text) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_text is not null
    and regexp_replace(
          regexp_replace(p_text,
            -- a ZWJ preceded by an emoji (optionally with VS16) and followed by one
            '([\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\u00A9\u00AE\u203C\u2049\u2122\u2139\u3030\u303D\u3297\u3299]\uFE0F?)\u200D(?=[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\u00A9\u00AE\u203C\u2049\u2122\u2139\u3030\u303D\u3297\u3299])',
            '\1', 'g'),
          -- an emoji tag sequence: WAVING BLACK FLAG, tag characters, CANCEL TAG
          '\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F', '\U0001F3F4', 'g')
        !~ '[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001\U000E0020-\U000E007F]'
    and p_text !~ '[\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5\u2028\u2029]'
    and p_text ~ '[^\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u200D\uFE00-\uFE0F\u034F\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\u180B-\u180F\U000E0100-\U000E01EF]'
$$;

revoke all on function private.is_visible_name(text) from public;

-- RPC update_profile: the body of 20261123002200_harden_profile_input.sql, with two changes: a nickname must
-- also be visible (private.is_visible_name) or the call answers 400 invalid_nickname and changes nothing, and
-- the profile task counts only a visible nickname (one stored before this migration may not be).
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
  if p_nickname is not null and (char_length(v_nickname) not between 1 and 32 or v_nickname ~ '[\u0001-\u001f\u007f-\u009f]'
                                 or not private.is_visible_name(v_nickname)) then
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

  if v_member.avatar_url is not null and v_member.birthday is not null and private.is_visible_name(v_member.nickname) then
    perform private.record_task_event(v_member_id, 'profile_completed', 'profile');
  end if;
  return private.profile_json(v_member);
end
$$;

revoke all on function public.update_profile(text, text, date) from public, anon, authenticated, service_role;
grant execute on function public.update_profile(text, text, date) to authenticated;
