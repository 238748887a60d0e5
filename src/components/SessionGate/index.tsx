import type { ComponentType } from 'react'
import { useEffect } from 'react'

import { sessionStore, useSession } from '../../stores/session'
import LoginCard from '../LoginCard'
import StateView from '../StateView'

/**
 * Every screen but home needs a signed-in member. Opened directly (a deep link, a shared card, browser back
 * after 退出登录), the screen first restores the session (silently on WeChat); without one it shows the sign-in
 * in its place, and after signing in the screen itself, at the same address: the link is not lost. The page
 * component mounts only once signed in, so it never asks the backend without a session nor shows another
 * member's data.
 */
export function withSession<P extends object>(Page: ComponentType<P>): ComponentType<P> {
  function SessionGate(props: P) {
    const status = useSession((s) => s.status)
    useEffect(() => {
      // home restores the session at start; a screen opened directly has to
      if (sessionStore.getState().status === 'checking') void sessionStore.getState().restore()
    }, [])
    if (status === 'signed_in') return <Page {...props} />
    if (status === 'checking') return <StateView status="loading" />
    return <LoginCard />
  }
  SessionGate.displayName = `withSession(${Page.displayName ?? Page.name ?? 'Page'})`
  return SessionGate
}
