import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'

import Button from '../Button'
import { messageFor } from '../../domain/errors'
import Skeleton from '../Skeleton'
import type { ResourceStatus } from '../../stores/resource'

import './index.scss'

interface Props {
  status: ResourceStatus
  errorCode?: string
  onRetry?: () => void
  /** Ready but nothing to show. */
  empty?: boolean
  emptyText?: string
  /** Keep showing children while reloading data already shown. */
  hasData?: boolean
  /** Placeholder cards while loading (Skeleton). */
  skeletonRows?: number
  children?: ReactNode
}

/** Loading (Skeleton placeholders), error (the mapped Chinese message + 重试), empty, or the content. */
export default function StateView({ status, errorCode, onRetry, empty, emptyText = '暂无内容', hasData, skeletonRows, children }: Props) {
  if (status === 'error' && !hasData) {
    return (
      <View className="state-view state-view--error">
        <Text className="state-view__text">{messageFor(errorCode ?? 'unknown')}</Text>
        {onRetry && (
          <Button className="state-view__retry" size="mini" onClick={onRetry}>
            重试
          </Button>
        )}
      </View>
    )
  }
  if ((status === 'idle' || status === 'loading') && !hasData) {
    return <Skeleton rows={skeletonRows} />
  }
  if (empty) {
    return (
      <View className="state-view state-view--empty">
        <Text className="state-view__text">{emptyText}</Text>
      </View>
    )
  }
  return <>{children}</>
}
