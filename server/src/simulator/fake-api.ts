// A local HTTP server that speaks each platform's API under /<platform>/…, records every call,
// and can be told to fail the next calls (POST /_control/fail). Tests and `npm run simulate` use it;
// point Tanggap at it with SIMULATOR_URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { PLATFORMS, type Platform } from '@tanggap/shared'
import type { ApiAnswer, ApiCall, PlatformApi } from './types.ts'

export interface FakeApi {
  url: string
  calls: ApiCall[]
  callsTo(platform: Platform): ApiCall[]
  /** The next `times` calls to this platform answer with this status and body instead. */
  failNext(platform: Platform, times: number, status: number, body?: unknown): void
  close(): Promise<void>
}

function parseBody(raw: string, type: string | undefined): unknown {
  if (!raw) return null
  if (type?.includes('application/json')) {
    try {
      return JSON.parse(raw)
    } catch {
      return raw
    }
  }
  if (type?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw))
  return raw
}

const send = (res: ServerResponse, a: ApiAnswer) => {
  res.writeHead(a.status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(a.body ?? {}))
}

export async function startFakeApi(apis: Partial<Record<Platform, PlatformApi>>, opts: { port?: number; host?: string } = {}): Promise<FakeApi> {
  const calls: ApiCall[] = []
  const failures = new Map<Platform, { times: number; status: number; body: unknown }>()

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const raw = Buffer.concat(chunks).toString('utf8')
      if (url.pathname === '/_control/fail' && req.method === 'POST') {
        const { platform, times, status, body } = JSON.parse(raw || '{}') as { platform: Platform; times: number; status: number; body?: unknown }
        failures.set(platform, { times, status, body: body ?? { error: { message: 'simulated failure' } } })
        return send(res, { status: 200, body: { ok: true } })
      }
      if (url.pathname === '/_control/calls') return send(res, { status: 200, body: calls })
      const [, first, ...rest] = url.pathname.split('/')
      const platform = PLATFORMS.find((p) => p === first)
      const api = platform && apis[platform]
      if (!platform || !api) return send(res, { status: 404, body: { error: { message: `no fake API for ${first}` } } })
      const call: ApiCall = {
        platform,
        method: req.method ?? 'GET',
        path: `/${rest.join('/')}`,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: parseBody(raw, req.headers['content-type']),
        at: Date.now(),
      }
      calls.push(call)
      const failure = failures.get(platform)
      if (failure && failure.times > 0) {
        failure.times--
        return send(res, { status: failure.status, body: failure.body })
      }
      try {
        send(res, api(call))
      } catch (err) {
        send(res, { status: 500, body: { error: { message: String(err) } } })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('fake API has no port')
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${address.port}`,
    calls,
    callsTo: (platform) => calls.filter((c) => c.platform === platform),
    failNext: (platform, times, status, body) => void failures.set(platform, { times, status, body: body ?? { error: { message: 'simulated failure' } } }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
