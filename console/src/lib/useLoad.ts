import { useCallback, useEffect, useRef, useState } from 'react'

import { errorText } from './errors'

export interface Loaded<T> {
  data: T | undefined
  loading: boolean
  /** The error's text (the backend's message), if the last load failed. */
  error: string | null
  reload: () => Promise<void>
}

/** Loads `load()` now and whenever `deps` change; `reload` loads again. An answer that arrives late is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>()
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const seq = useRef(0)
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps)
  const reload = useCallback(async () => {
    const mine = ++seq.current
    setLoading(true)
    try {
      const value = await run()
      if (mine !== seq.current) return
      setData(value)
      setError(null)
    } catch (e) {
      if (mine === seq.current) setError(errorText(e))
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }, [run])
  useEffect(() => {
    void reload()
  }, [reload])
  return { data, loading, error, reload }
}
