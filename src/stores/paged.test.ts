import { AppError } from '../domain/errors'
import { createPagedList } from './paged'
import { resetMemberStores } from './reset'

type Row = { id: number; tab: string }

/** A list whose pages the test answers by hand, in any order. */
function controlledList(pageSize = 2) {
  const calls: { filter: string; last: Row | null; resolve: (rows: Row[]) => void; reject: (e: unknown) => void }[] = []
  const list = createPagedList<Row, string>({
    filter: 'all',
    pageSize,
    fetchPage: (filter, last) => new Promise((resolve, reject) => calls.push({ filter, last, resolve, reject })),
    keyOf: (r) => r.id,
  })
  return { list, calls }
}

test('loads the first page, then the next after the last row, deduplicating overlaps', async () => {
  const { list, calls } = controlledList()
  const first = list.getState().load()
  expect(list.getState().status).toBe('loading')
  calls[0].resolve([
    { id: 9, tab: 'all' },
    { id: 8, tab: 'all' },
  ])
  await first
  expect(list.getState()).toMatchObject({ status: 'ready', hasMore: true })

  const more = list.getState().loadMore()
  expect(list.getState().loadingMore).toBe(true)
  void list.getState().loadMore() // no second request while one runs
  expect(calls).toHaveLength(2)
  expect(calls[1].last).toEqual({ id: 8, tab: 'all' })
  calls[1].resolve([{ id: 8, tab: 'all' }]) // overlaps, and a short page: the end
  await more
  expect(list.getState().items.map((r) => r.id)).toEqual([9, 8])
  expect(list.getState()).toMatchObject({ hasMore: false, loadingMore: false })
  await list.getState().loadMore()
  expect(calls).toHaveLength(2)
})

test('a new filter drops the rows and any answer for the old one', async () => {
  const { list, calls } = controlledList()
  const old = list.getState().load('a')
  const current = list.getState().load('b')
  expect(list.getState().items).toEqual([])
  calls[1].resolve([{ id: 2, tab: 'b' }])
  calls[0].resolve([
    { id: 1, tab: 'a' },
    { id: 0, tab: 'a' },
  ])
  await Promise.all([old, current])
  expect(list.getState()).toMatchObject({ filter: 'b', items: [{ id: 2, tab: 'b' }], hasMore: false })
})

test('errors: the first page shows the code; a failed next page keeps the rows', async () => {
  const { list, calls } = controlledList()
  const first = list.getState().load()
  calls[0].reject(new AppError('not_staff'))
  await first
  expect(list.getState()).toMatchObject({ status: 'error', errorCode: 'not_staff', items: [] })

  const again = list.getState().load()
  calls[1].resolve([
    { id: 5, tab: 'all' },
    { id: 4, tab: 'all' },
  ])
  await again
  const more = list.getState().loadMore()
  calls[2].reject(new TypeError('Failed to fetch'))
  await more
  expect(list.getState()).toMatchObject({ status: 'ready', loadingMore: false, items: [{ id: 5 }, { id: 4 }] })
  expect(list.getState().moreErrorCode).toBeDefined()
})

test('refresh loads the first page again only once a first load has settled', async () => {
  const { list, calls } = controlledList()
  await list.getState().refresh() // idle: the first load is still to come
  expect(calls).toHaveLength(0)
  const first = list.getState().load()
  void list.getState().refresh() // loading: no second request
  expect(calls).toHaveLength(1)
  calls[0].resolve([{ id: 1, tab: 'all' }])
  await first
  const again = list.getState().refresh()
  expect(calls).toHaveLength(2)
  expect(calls[1]).toMatchObject({ filter: 'all', last: null })
  calls[1].resolve([{ id: 2, tab: 'all' }])
  await again
  expect(list.getState().items).toEqual([{ id: 2, tab: 'all' }])
})

test("a head: the first page's extra data, kept with the rows, replaced by a new first page, gone on reset", async () => {
  let answer = 0
  const list = createPagedList<Row, string, { total: number }>({
    filter: 'all',
    pageSize: 1,
    fetchPage: async (_filter, last) => ({ rows: [{ id: last ? last.id - 1 : 9, tab: 'all' }], head: { total: ++answer } }),
    keyOf: (r) => r.id,
  })
  await list.getState().load()
  expect(list.getState()).toMatchObject({ head: { total: 1 }, items: [{ id: 9 }] })
  await list.getState().loadMore() // a next page's head is not taken: the list shows the first page's
  expect(list.getState()).toMatchObject({ head: { total: 1 }, items: [{ id: 9 }, { id: 8 }] })
  await list.getState().refresh()
  expect(list.getState()).toMatchObject({ head: { total: 3 }, items: [{ id: 9 }] })
  resetMemberStores()
  expect(list.getState().head).toBeUndefined()
})
