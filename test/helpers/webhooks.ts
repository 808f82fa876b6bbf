// Helpers for connector tests: raw webhook posts, row counts, and the app wired to a fake platform API.
import type { LightMyRequestResponse } from 'fastify'
import type { Platform } from '@tanggap/shared'
import { startFakeApi, type FakeApi } from '../../server/src/simulator/fake-api.ts'
import { FAKE_APIS } from '../../server/src/simulator/platforms/index.ts'
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts'

export { DEMO_SECRETS, DEMO_CHANNELS } from '@tanggap/db/seed'

/** Posts exact bytes, as a platform would. */
export function postRaw(t: TestApp, url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

export const countRows = (t: Pick<TestApp, 'db'>, table: string, where = '1 = 1', ...params: unknown[]): number =>
  (t.db.$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n

export const rows = <T = Record<string, unknown>>(t: Pick<TestApp, 'db'>, sql: string, ...params: unknown[]): T[] =>
  t.db.$client.prepare(sql).all(...params) as T[]

export const channelId = (t: Pick<TestApp, 'db'>, platform: Platform, accountId?: string): number =>
  (
    t.db.$client
      .prepare(`SELECT id FROM channels WHERE platform = ? ${accountId ? 'AND account_id = ?' : ''} ORDER BY id LIMIT 1`)
      .get(...(accountId ? [platform, accountId] : [platform])) as { id: number }
  ).id

/** The app with every platform API pointed at a local fake speaking that platform's format. */
export async function createAppWithFakeApi(opts: TestAppOptions = {}): Promise<{ t: TestApp; api: FakeApi; close(): Promise<void> }> {
  const api = await startFakeApi(FAKE_APIS)
  const t = await createTestApp({ ...opts, env: { SIMULATOR_URL: api.url, ...opts.env } })
  return {
    t,
    api,
    close: async () => {
      await t.close()
      await api.close()
    },
  }
}
