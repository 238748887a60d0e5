// `npm run operator:add -- <phone>`: make the member with this phone an operator (总部运营) on the local
// database — the first operator, who then adds others from the console. The member must have signed in once
// (a member row with that phone). On hosted Supabase, the same statement as the database owner (SQL editor):
//   insert into public.operators (member_id) select id from public.members where phone = '<phone>'
//   on conflict (member_id) do update set active = true;
// docs/operators.md.
import { Client } from 'pg'
import { dbUrl, stackConfig } from './config'
import { withPostgres } from './stack'

/** Makes (or makes again) the member with `phone` an active operator; returns their member id. */
export async function addOperator(client: Pick<Client, 'query'>, phone: string): Promise<string> {
  const { rows } = await client.query<{ member_id: string }>(
    `insert into public.operators (member_id) select id from public.members where phone = $1
     on conflict (member_id) do update set active = true
     returning member_id`,
    [phone],
  )
  if (!rows[0]) throw new Error(`no member with phone ${phone}: they sign in once as a member first, then run this again`)
  return rows[0].member_id
}

async function main(phone: string | undefined) {
  if (!phone) throw new Error('usage: npm run operator:add -- <phone>')
  const cfg = stackConfig()
  await withPostgres(cfg, async (port) => {
    const client = new Client({ connectionString: dbUrl(port) })
    await client.connect()
    try {
      console.log(`operator: ${await addOperator(client, phone)} (${phone})`)
    } finally {
      await client.end()
    }
  })
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(String(err?.message ?? err))
    process.exit(1)
  })
}
