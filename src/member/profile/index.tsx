import { Image, Input, Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { confirmSignOut } from '../../components/signOut'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf } from '../../domain/errors'
import { nicknameInitial, type Me } from '../../domain/member'
import {
  BIRTHDAY_RULE,
  birthdayConfirmation,
  birthdayLockedLabel,
  birthdayLockedUntil,
  hasChanges,
  maskPhone,
  memberSince,
  nicknameError,
  profileChanges,
  profileForm,
  type ProfileForm,
} from '../../domain/profile'
import { avatarFromChosen, pickAvatar, type AvatarImage } from '../../platform/avatar'
import { COLORS } from '../../styles/colors'
import { avatarPicker } from '../../platform/ui'
import { changeAvatar } from '../../stores/avatar'
import { updateProfile, useMe } from '../../stores/member'
import { useSession } from '../../stores/session'

import './index.scss'

/**
 * 个人资料: avatar (uploaded and saved as soon as it is picked: WeChat's chooseAvatar button, or H5's file picker
 * with the crop made on the device), nickname (WeChat's nickname input), birthday (starts empty, confirmed before
 * it is saved: it locks for a year), phone, member since, tier; save; sign out.
 */
function ProfilePage() {
  const me = useMe()

  const loadMe = me.load
  useEffect(() => {
    void loadMe()
  }, [loadMe])

  return (
    <View className="profile">
      <StateView status={me.status} errorCode={me.errorCode} onRetry={() => void me.load()} hasData={!!me.data}>
        {me.data && <ProfileEditor me={me.data} />}
      </StateView>
    </View>
  )
}

function ProfileEditor({ me: data }: { me: Me }) {
  const signOut = useSession((s) => s.signOut)
  // starts from what is saved (so the inputs never flash empty) and follows it after 保存 reloads it
  const [form, setForm] = useState<ProfileForm>(() => profileForm(data))
  const [saving, setSaving] = useState(false)
  const [uploading, setUploading] = useState(false)
  const [failedAvatar, setFailedAvatar] = useState<string | null>(null)

  useEffect(() => {
    setForm(profileForm(data))
  }, [data])

  const changes = profileChanges(data, form)
  const lockedUntil = birthdayLockedUntil(data, Date.now())

  async function onSave() {
    if (!hasChanges(changes)) return
    // the rule update_profile enforces (invalid_nickname), checked before the round trip
    const nicknameCode = changes.p_nickname === undefined ? null : nicknameError(changes.p_nickname)
    if (nicknameCode) {
      showErrorToast(nicknameCode)
      return
    }
    if (changes.p_birthday) {
      // the birthday locks for a year once saved: ask first
      const { confirm } = await Taro.showModal({
        ...birthdayConfirmation(changes.p_birthday),
        confirmText: '确定保存',
        cancelText: '再想想',
        confirmColor: COLORS.brand,
      })
      if (!confirm) return
    }
    setSaving(true)
    try {
      await updateProfile(changes) // me takes the saved profile from the answer (stores/member)
      void Taro.showToast({ title: '已保存', icon: 'success' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setSaving(false)
    }
  }

  /** Upload and save a new avatar (a picked file made square on H5; WeChat's chosen file). */
  async function saveAvatar(make: () => Promise<AvatarImage | null>) {
    if (uploading) return
    setUploading(true)
    try {
      const image = await make()
      if (!image) return // cancelled
      await changeAvatar(image)
      void Taro.showToast({ title: '头像已更新', icon: 'success' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setUploading(false)
    }
  }

  /** The nickname as WeChat's nickname input leaves it (its blur / confirm value: the review rules). */
  const takeNickname = (value: string | undefined) => {
    if (typeof value === 'string') setForm((f) => ({ ...f, nickname: value }))
  }

  return (
    <>
      <View className="profile__card profile__head">
        <Button
          className="profile__avatar-button"
          openType={avatarPicker === 'chooseAvatar' ? 'chooseAvatar' : undefined}
          onChooseAvatar={(e) => void saveAvatar(() => avatarFromChosen(e.detail.avatarUrl))}
          onClick={avatarPicker === 'file' ? () => void saveAvatar(pickAvatar) : undefined}
          disabled={uploading || undefined}
        >
          {data.avatar_url && failedAvatar !== data.avatar_url ? (
            // an avatar that cannot load (offline, gone) falls back to the initial
            <Image
              className="profile__avatar"
              src={data.avatar_url}
              mode="aspectFill"
              aria-hidden="true"
              onError={() => setFailedAvatar(data.avatar_url)}
            />
          ) : (
            <View className="profile__avatar profile__avatar--initial" aria-hidden="true">
              <Text>{nicknameInitial(data.nickname, '我')}</Text>
            </View>
          )}
          <Text className="profile__avatar-edit">{uploading ? '上传中…' : '更换头像'}</Text>
        </Button>
        <View className="profile__who">
          <Text className="profile__nickname">{data.nickname}</Text>
          <Text className="profile__tier">{data.tier.name}</Text>
        </View>
      </View>

      <View className="profile__card">
        <View className="profile__row">
          <Text className="profile__key">昵称</Text>
          {/* WeChat's nickname input offers the WeChat nickname on its keyboard; its value counts on blur / confirm */}
          <Input
            className="profile__input"
            type="nickname"
            placeholder="1–32 个字"
            maxlength={32}
            value={form.nickname}
            onInput={(e) => takeNickname(e.detail.value)}
            onBlur={(e) => takeNickname(e.detail.value)}
            onConfirm={(e) => takeNickname(e.detail.value)}
          />
        </View>
        <View className="profile__row profile__row--birthday">
          <View className="profile__row-line">
            <Text className="profile__key">生日</Text>
            {lockedUntil ? (
              <Text className="profile__value profile__value--muted">{data.birthday ?? '未设置'}</Text>
            ) : (
              <Picker
                className="profile__picker"
                mode="date"
                value={form.birthday /* empty until the member picks one: no date is suggested */}
                start="1900-01-01"
                end={data.business_date}
                onChange={(e) => setForm((f) => ({ ...f, birthday: String(e.detail.value) }))}
              >
                <Text className={`profile__value${form.birthday ? '' : ' profile__value--placeholder'}`}>
                  {form.birthday || '请选择生日'}
                </Text>
              </Picker>
            )}
          </View>
          <Text className="profile__hint">{lockedUntil ? birthdayLockedLabel(lockedUntil) : BIRTHDAY_RULE}</Text>
        </View>
        <View className="profile__row">
          <Text className="profile__key">手机号</Text>
          <Text className="profile__value profile__value--muted">{maskPhone(data.phone)}</Text>
        </View>
        <View className="profile__row">
          <Text className="profile__key">会员等级</Text>
          <Text className="profile__value profile__value--muted">{data.tier.name}</Text>
        </View>
        <View className="profile__row">
          <Text className="profile__key">注册时间</Text>
          <Text className="profile__value profile__value--muted">{memberSince(data)}</Text>
        </View>
      </View>

      <View className="profile__actions">
        <Button
          className={`profile__save${hasChanges(changes) ? '' : ' profile__save--idle'}`}
          disabled={!hasChanges(changes) || saving || undefined}
          loading={saving}
          onClick={() => void onSave()}
        >
          保存
        </Button>
        <Button className="profile__signout" onClick={() => void confirmSignOut(signOut)}>
          退出登录
        </Button>
      </View>
    </>
  )
}

export default withSession(ProfilePage)
