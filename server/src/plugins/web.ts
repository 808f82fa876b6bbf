// Serves the built web app. Unknown paths under /api answer a JSON 404; other GETs get the app's
// index.html, which routes on the client. A status page for an unknown tracking code answers 404.
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { notFound } from '../lib/errors.ts'

export async function registerWeb(app: FastifyInstance, webDist: string, trackingCodeExists: (code: string) => boolean): Promise<void> {
  const indexFile = join(webDist, 'index.html')
  const hasApp = existsSync(indexFile)
  if (!hasApp) app.log.warn({ webDist }, 'web app not built; run npm run build')
  const index = () => (hasApp ? readFileSync(indexFile, 'utf8') : '<!doctype html><title>Tanggap</title><p>Web app not built: npm run build</p>')
  let cached: string | undefined
  const page = () => (cached ??= index())

  if (hasApp) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      // Vite fingerprints assets: they never change under one name.
      setHeaders: (reply, path) => {
        if (path.includes(`${join(webDist, 'assets')}`)) reply.header('cache-control', 'public, max-age=31536000, immutable')
      },
    })
  }

  const sendPage = (status: number) => (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.code(status).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page())

  // Limited like the status API it mirrors (200 × 404 would otherwise test codes for free); over the limit: a JSON 429.
  app.get<{ Params: { code: string } }>('/lacak/:code', { schema: { hide: true }, config: { rateLimit: { max: 120, timeWindow: 60_000 } } }, (req, reply) =>
    sendPage(trackingCodeExists(req.params.code) ? 200 : 404)(req, reply),
  )

  // Also every page of the app (client routes) and every probe of unknown paths: generous, but a flood costs little.
  app.setNotFoundHandler({ preValidation: app.rateLimit({ max: 600, timeWindow: 60_000 }) }, (req, reply) => {
    const path = req.url.split('?', 1)[0]!
    if (req.method !== 'GET' || path === '/api' || path.startsWith('/api/') || path === '/ws' || path.startsWith('/ws/')) throw notFound('Route')
    return sendPage(200)(req, reply)
  })
}
