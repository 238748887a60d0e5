import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'

import Button from '../Button'
import { messageFor } from '../../domain/errors'
import { checkPhoneInput } from '../../domain/session'
import { signsInSilently } from '../../platform/credentials'
import { useSession } from '../../stores/session'

import './index.scss'

/** Sign in: one tap on WeChat (wx.login); the dev login by phone on H5 against the local stack. */
export default function LoginCard() {
  const { status, errorCode, restore, signInWithPhone } = useSession()
  const [phone, setPhone] = useState('')
  /** 登录 was tapped (or the field left) with this input: say what is wrong with it, even a number still short. */
  const [checked, setChecked] = useState(false)
  const busy = status === 'signing_in'
  const input = checkPhoneInput(phone)
  // letters and extra digits are wrong at once; a number still being typed only once the member is done
  const problem = 'problem' in input && phone.trim() !== '' && (checked || !input.problem.includes('还差')) ? input.problem : null

  function onSubmit() {
    setChecked(true)
    if ('phone' in input) void signInWithPhone(input.phone)
  }

  return (
    <View className="login-card">
      <Text className="login-card__title">登录会员</Text>
      {signsInSilently ? (
        <Button className="login-card__button" loading={busy} disabled={busy || undefined} onClick={() => void restore()}>
          微信一键登录
        </Button>
      ) : (
        <>
          <Text className="login-card__hint">开发环境：输入手机号即可登录（新号码自动注册，送100积分）</Text>
          {/* type text, no maxlength: a number field would drop letters and cut a 12th digit silently */}
          <Input
            className={`login-card__input${problem ? ' login-card__input--invalid' : ''}`}
            type="text"
            nativeProps={{ inputmode: 'tel', autocomplete: 'tel' }}
            placeholder="请输入手机号"
            value={phone}
            onInput={(e) => {
              setChecked(false)
              setPhone(e.detail.value)
            }}
            onBlur={() => setChecked(true)}
            onConfirm={onSubmit}
          />
          {problem && <Text className="login-card__problem">{problem}</Text>}
          <Button className="login-card__button" loading={busy} disabled={busy || !phone.trim() || undefined} onClick={onSubmit}>
            登录
          </Button>
        </>
      )}
      {errorCode && <Text className="login-card__error">{messageFor(errorCode)}</Text>}
    </View>
  )
}
