-- Data (issue 17): the 完善个人资料 task is done by a nickname and an avatar (update_profile no longer needs the
-- birthday, which locks for a year). The default task's description says so; a description an operator changed is
-- left as it is.
update public.tasks
set description = '设置头像和昵称'
where code = 'complete_profile' and description = '填写昵称、头像和生日';
