import { AppError } from '../domain/errors'
import { createResource } from './resource'

it('loading → ready with the data; errors keep their code', async () => {
  const fetcher = jest.fn(async (n: number) => {
    if (n < 0) throw new AppError('invalid_limit')
    return n * 2
  })
  const store = createResource(fetcher)
  expect(store.getState().status).toBe('idle')
  const loading = store.getState().load(2)
  expect(store.getState().status).toBe('loading')
  await loading
  expect(store.getState()).toMatchObject({ status: 'ready', data: 4 })
  await store.getState().load(-1)
  expect(store.getState()).toMatchObject({ status: 'error', errorCode: 'invalid_limit', data: 4 })
  store.getState().set(10)
  expect(store.getState()).toMatchObject({ status: 'ready', data: 10, errorCode: undefined })
})

it('only the latest load wins', async () => {
  let release!: (v: string) => void
  const slow = new Promise<string>((r) => (release = r))
  const fetcher = jest.fn().mockReturnValueOnce(slow).mockResolvedValueOnce('new')
  const store = createResource<string, []>(fetcher)
  const first = store.getState().load()
  await store.getState().load()
  release('old')
  await first
  expect(store.getState().data).toBe('new')
})

it('refresh loads again only once a first load has settled', async () => {
  const fetcher = jest.fn(async (n: number) => n)
  const store = createResource(fetcher)
  await store.getState().refresh(1)
  expect(fetcher).not.toHaveBeenCalled() // idle: the first load is still to come
  await store.getState().load(1)
  await store.getState().refresh(2)
  expect(store.getState().data).toBe(2)
  const loading = store.getState().load(3)
  await store.getState().refresh(4) // loading: nothing more
  await loading
  expect(fetcher.mock.calls.map((c) => c[0])).toEqual([1, 2, 3])
})

it('refresh after an error loads again (the 重试 path), and again after a second error', async () => {
  const fetcher = jest
    .fn<Promise<string>, []>()
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce('ok')
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce('ok again')
  const store = createResource(fetcher)
  await store.getState().load()
  expect(store.getState()).toMatchObject({ status: 'error', errorCode: 'network_error' })
  await store.getState().refresh()
  expect(store.getState()).toMatchObject({ status: 'ready', data: 'ok', errorCode: undefined })
  await store.getState().refresh()
  expect(store.getState()).toMatchObject({ status: 'error', errorCode: 'network_error', data: 'ok' })
  await store.getState().refresh()
  expect(store.getState()).toMatchObject({ status: 'ready', data: 'ok again' })
  expect(fetcher).toHaveBeenCalledTimes(4)
})
