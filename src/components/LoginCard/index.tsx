import { Button, Input, Text, View } from '@tarojs/components'
import { useState } from 'react'

import { messageFor } from '../../domain/errors'
import { isPhone } from '../../domain/session'
import { signsInSilently } from '../../platform/credentials'
import { useSession } from '../../stores/session'

import './index.scss'

/** Sign in: one tap on WeChat (wx.login); the dev login by phone on H5 against the local stack. */
export default function LoginCard() {
  const { status, errorCode, restore, signInWithPhone } = useSession()
  const [phone, setPhone] = useState('')
  const busy = status === 'signing_in'
  const valid = isPhone(phone)

  return (
    <View className='login-card'>
      <Text className='login-card__title'>登录会员</Text>
      {signsInSilently ? (
        <Button className='login-card__button' loading={busy} disabled={busy || undefined} onClick={() => void restore()}>
          微信一键登录
        </Button>
      ) : (
        <>
          <Text className='login-card__hint'>开发环境：输入手机号即可登录（新号码自动注册，送100积分）</Text>
          <Input
            className='login-card__input'
            type='number'
            maxlength={11}
            placeholder='请输入手机号'
            value={phone}
            onInput={(e) => setPhone(e.detail.value)}
          />
          <Button
            className='login-card__button'
            loading={busy}
            disabled={busy || !valid || undefined}
            onClick={() => void signInWithPhone(phone)}
          >
            登录
          </Button>
        </>
      )}
      {errorCode && <Text className='login-card__error'>{messageFor(errorCode)}</Text>}
    </View>
  )
}
