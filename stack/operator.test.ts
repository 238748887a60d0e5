// The first operator: `npm run operator:add -- <phone>` on the local database.
import { useSeededDb } from '../test/support/db'
import { aMember, phoneOf } from '../test/factories/members'
import { addOperator } from './operator'

const db = useSeededDb()

test('makes a signed-in member an operator (again, if deactivated); a phone nobody signed in with is refused', async () => {
  const member = await aMember(db())
  const phone = await phoneOf(db(), member)
  const client = await db().admin.connect()
  try {
    expect(await addOperator(client, phone)).toBe(member)
    expect((await db().call('op_list_audit', {}, { sub: member })).status).toBe(200)
    await db().admin.query('update public.operators set active = false where member_id = $1', [member])
    expect(await addOperator(client, phone)).toBe(member)
    expect((await db().call('op_list_audit', {}, { sub: member })).status).toBe(200)
    await expect(addOperator(client, '13700009999')).rejects.toThrow(/no member with phone 13700009999/)
  } finally {
    client.release()
  }
})
