// Starts the real app listening on 127.0.0.1 (random port) for browser and websocket tests.
import { createTestApp, type TestAppOptions } from './app.ts'

export async function startTestServer(opts: TestAppOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const t = await createTestApp(opts)
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  const address = t.app.server.address()
  if (!address || typeof address === 'string') throw new Error('server has no port')
  return { url: `http://127.0.0.1:${address.port}`, close: () => t.close() }
}
