// The client's service layer (src/services) against the real local API: no stubs between them.
import type { ApiServer } from '../../stack/server'
import type { TestDb } from '../support/db'
import { useSeededApi } from '../support/api'

let db: TestDb
let api: ApiServer
let services: typeof import('../../src/services/program')

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db, api } = clientApi())
  jest.isolateModules(() => {
    services = require('../../src/services/program')
  })
})

test('fetchProgram returns the seeded program and today in Shanghai', async () => {
  const program = await services.fetchProgram()
  const today = (await db.admin.query(`select (now() at time zone 'Asia/Shanghai')::date::text as d`)).rows[0].d
  expect(program).toMatchObject({ name: '悦享咖啡会员', time_zone: 'Asia/Shanghai', business_date: today })
})

test('a stopped API is a network_error', async () => {
  await api.close()
  await expect(services.fetchProgram()).rejects.toMatchObject({ code: 'network_error' })
})
