// Liveness (the process answers) and readiness (its database, and Redis in redis mode, answer).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Db } from '@tanggap/db'

interface Opts {
  db: Db
  pingRedis?: () => Promise<unknown>
}

const Check = Type.Object({
  status: Type.String({ maxLength: 16 }),
  checks: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 200 }))),
})

export const healthRoutes: FastifyPluginAsyncTypebox<Opts> = async (app, { db, pingRedis }) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Check } }, logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Check, 503: Check } }, logLevel: 'warn' }, async (_req, reply) => {
    const checks: Record<string, string> = {}
    try {
      db.$client.prepare('SELECT 1').get()
      checks.database = 'ok'
    } catch (err) {
      checks.database = String((err as Error).message).slice(0, 200)
    }
    if (pingRedis) {
      try {
        await Promise.race([pingRedis(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000))])
        checks.redis = 'ok'
      } catch (err) {
        checks.redis = String((err as Error).message).slice(0, 200)
      }
    }
    const ok = Object.values(checks).every((v) => v === 'ok')
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks })
  })
}
