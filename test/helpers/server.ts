// Starts the real app listening on 127.0.0.1 (random port) for browser and websocket tests.
import type { Db } from '@tanggap/db'
import type { FastifyInstance } from 'fastify'
import { createTestApp, type TestAppOptions } from './app.ts'

export interface TestServer {
  url: string
  /** The app and its database, for tests that arrange data directly (e.g. a fast SLA policy). */
  app: FastifyInstance
  db: Db
  close(): Promise<void>
}

export async function startTestServer(opts: TestAppOptions = {}): Promise<TestServer> {
  const t = await createTestApp(opts)
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  const address = t.app.server.address()
  if (!address || typeof address === 'string') throw new Error('server has no port')
  return { url: `http://127.0.0.1:${address.port}`, app: t.app, db: t.db, close: () => t.close() }
}
