import { Button, Text, View } from '@tarojs/components'
import { useEffect } from 'react'

import { messageFor } from '../../domain/errors'
import { businessDayLabel } from '../../domain/program'
import { useProgram } from '../../stores/program'

import './index.scss'

export default function Home() {
  const { status, program, errorCode, load } = useProgram()

  useEffect(() => {
    void load()
  }, [load])

  return (
    <View className='home'>
      <View className='home__band'>
        {status === 'ready' && program ? (
          <>
            <Text className='home__name'>{program.name}</Text>
            <Text className='home__date'>{businessDayLabel(program)}</Text>
          </>
        ) : (
          <Text className='home__name'>积分会员</Text>
        )}
      </View>

      {(status === 'idle' || status === 'loading') && (
        <View className='home__card home__state'>
          <Text>加载中…</Text>
        </View>
      )}

      {status === 'error' && (
        <View className='home__card home__state'>
          <Text className='home__error'>{messageFor(errorCode ?? 'unknown')}</Text>
          <Button className='home__retry' size='mini' onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}

      {status === 'ready' && (
        <View className='home__card'>
          <Text className='home__card-title'>会员权益</Text>
          <Text className='home__card-text'>签到、任务、积分商城即将上线，敬请期待</Text>
        </View>
      )}
    </View>
  )
}
