import { Text, View } from '@tarojs/components'
import { useEffect } from 'react'

import Button from '../../components/Button'
import { usePullRefresh } from '../../components/pullRefresh'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { ruleSections } from '../../domain/rules'
import { openRoute } from '../../navigation'
import { ROUTES } from '../../routes'
import { rulesStore, useRules } from '../../stores/rules'

import './index.scss'

/** 积分规则: every earning and spending rule, written from the live configuration each time it opens. */
function Rules() {
  const rules = useRules()

  useEffect(() => {
    void rulesStore.getState().load()
  }, [])
  usePullRefresh(() => rulesStore.getState().load())

  return (
    <View className="rules">
      <StateView status={rules.status} errorCode={rules.errorCode} onRetry={() => void rules.load()} hasData={!!rules.data}>
        {rules.data &&
          ruleSections(rules.data).map((section) => (
            <View key={section.title} className="rules__card">
              <Text className="rules__title">{section.title}</Text>
              {section.lines.map((line) => (
                <Text key={line} className="rules__line">
                  {line}
                </Text>
              ))}
            </View>
          ))}
        {rules.data && (
          // role and tabIndex: focusable on H5, where Taro's Button is not (issue 17 part 5 brings a Button that is)
          <Button
            className="rules__tiers"
            {...({ role: 'button', tabIndex: 0 } as Record<string, unknown>)}
            onClick={() => openRoute(ROUTES.tiers)}
          >
            查看我的会员等级 ›
          </Button>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Rules)
