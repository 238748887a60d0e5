// One transaction on a checked-out pool client, for every caller of the pool (requests and schema loads).
import type { PoolClient } from 'pg'

/**
 * Runs `work` in a transaction on `client` and releases it: commit, or rollback and rethrow.
 * The pool stops listening for a client's errors while it is checked out: without the listener here, a
 * connection lost meanwhile (backend terminated, Postgres restarted) is an uncaught 'error' that ends the
 * process. The running query fails with that error anyway; a client that broke, or could not roll back, is
 * discarded instead of going back to the pool.
 */
export async function runTransaction<T>(
  client: PoolClient,
  readOnly: boolean,
  work: () => Promise<T>,
  /** end a successful transaction with a rollback (PostgREST's `Prefer: tx=rollback` / db-tx-end) */
  rollback = false,
): Promise<T> {
  let broken = false
  const onLost = () => (broken = true)
  client.on('error', onLost)
  try {
    await client.query(readOnly ? 'begin read only' : 'begin')
    const result = await work()
    if (rollback) {
      // as PostgREST's optionalRollback: deferred constraints are checked before the transaction is discarded
      await client.query('set constraints all immediate')
      await client.query('rollback')
    } else await client.query('commit')
    return result
  } catch (err) {
    await client.query('rollback').catch(() => (broken = true))
    throw err
  } finally {
    client.removeListener('error', onLost)
    client.release(broken)
  }
}
