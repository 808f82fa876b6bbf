// buildApp(deps) assembles the HTTP server from its dependencies; main.ts and the tests call it.
import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { randomUUID } from 'node:crypto'
import type { Db, Sqlite } from '@tanggap/db'
import type { Config } from './config.ts'
import type { EventBus } from './events/bus.ts'
import type { JobQueue } from './jobs/registry.ts'
import { AppError } from './lib/errors.ts'
import { redisStoreWithFallback } from './lib/rate-limit-store.ts'
import type { LeaderLock } from './lib/leader.ts'
import type { LoadGauge } from './lib/load-gauge.ts'
import { authRoutes } from './modules/auth/auth.routes.ts'
import { channelsRoutes } from './modules/channels/channels.routes.ts'
import { channelsPublicRoutes } from './modules/channels/channels-public.routes.ts'
import { healthRoutes } from './modules/health/health.routes.ts'
import { itemsRoutes } from './modules/items/items.routes.ts'
import { opdsRoutes } from './modules/opds/opds.routes.ts'
import { slaRoutes } from './modules/sla/sla.routes.ts'
import { publicRoutes } from './modules/public/public.routes.ts'
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts'
import { registerAuth } from './plugins/auth.ts'
import { registerErrorHandler } from './plugins/error-handler.ts'
import { registerSecurityHeaders } from './plugins/security-headers.ts'
import { registerWeb } from './plugins/web.ts'
import { registerWebsocket, type Hub } from './plugins/websocket.ts'
import { createServices, registerJobHandlers, startBackgroundLoops, type Services } from './services.ts'

export interface AppDeps {
  config: Config
  db: Db
  jobs: JobQueue
  bus: EventBus
  /** A pino logger; omitted in tests (silent). */
  logger?: FastifyBaseLogger
  clock?: () => number
  /** Redis client in redis mode: readiness check and shared rate-limit counters. */
  redis?: Redis
  /** Consume queued jobs in this process (embedded mode always; redis mode unless workers run apart). */
  runWorkers?: boolean
  /** Who may run the SLA scheduler: in redis mode a Redis lock, so exactly one process fires. */
  leader?: LeaderLock
  /** Run the SLA scheduler in this process (default true; the leader lock still decides who fires). */
  runScheduler?: boolean
  /** The connection new deliveries are written through (default: db's). */
  intakeSqlite?: Sqlite
  /** Told of every arriving delivery, so in-process jobs step aside (see lib/load-gauge.ts). */
  load?: LoadGauge
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes exactly as received (JSON requests). */
    rawBody?: Buffer
  }
  interface FastifyInstance {
    services: Services
    hub: Hub
  }
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, jobs, bus } = deps
  const clock = deps.clock ?? Date.now
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // A request must arrive whole within 30 s (slow senders hold no socket for long); idle sockets close after 2 min.
    requestTimeout: 30_000,
    connectionTimeout: 120_000,
    // Keep a caller's request id when it is sane, so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID()
    },
  }).withTypeProvider<TypeBoxTypeProvider>()
  // TypeBox validates bodies strictly (a number is not a name) and converts only query, params
  // and headers, which arrive as strings; it reports every failing field.
  app.setValidatorCompiler(TypeBoxValidatorCompiler)

  // Keep the raw bytes beside the parsed JSON: deliveries are stored verbatim and signatures are
  // computed over the bytes, never over re-serialized JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer
    // biome-ignore lint/nursery/noFloatingPromises: the default JSON parser is the callback form (it answers through done); Fastify's type also allows the async form
    parseJson(req, (body as Buffer).toString('utf8'), done)
  })

  registerErrorHandler(app)
  await registerSecurityHeaders(app, config)
  await app.register(cookie)
  await app.register(rateLimit, {
    global: false,
    // Redis mode: counters shared by every process, counted in this one while Redis is away.
    ...(deps.redis ? { store: redisStoreWithFallback(deps.redis, `${config.redisPrefix}:rl:`, app.log) } : {}),
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`),
  })
  await app.register(swagger, {
    openapi: { info: { title: 'Tanggap API', version: '0.1.0', description: 'Social inbox for Indonesian regional governments' } },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  const services = createServices({
    db,
    jobs,
    bus,
    config,
    clock,
    log: app.log,
    leader: deps.leader,
    intakeSqlite: deps.intakeSqlite,
    load: deps.load,
    redis: deps.redis,
  })
  app.decorate('services', services)
  registerAuth(app, services.auth)
  const hub = await registerWebsocket(app, bus, {
    sessionValid: (hash) => services.repos.auth.hasSession(hash, clock()),
    opdOf: (id) => services.repos.items.byId(id)?.opdId,
  })
  app.decorate('hub', hub)

  await app.register(healthRoutes, { db, pingRedis: deps.redis ? () => deps.redis!.ping() : undefined })
  await app.register(authRoutes, { auth: services.auth, config, hub })
  await app.register(publicRoutes, { service: services.public, config })
  await app.register(itemsRoutes, { items: services.items })
  await app.register(opdsRoutes, { opds: services.repos.opds })
  await app.register(slaRoutes, { sla: services.slaSettings })
  await app.register(channelsRoutes, { channels: services.channels, deliveries: services.deliveries })
  await app.register(channelsPublicRoutes, { db })
  await app.register(webhooksRoutes, { channels: services.repos.channels, deliveries: services.deliveries, clock, bodyLimit: config.webhookBodyLimitBytes })
  await registerWeb(app, config.webDist, (code) => services.public.exists(code))

  if (deps.runWorkers ?? true) registerJobHandlers(services, jobs, app.log)
  let stopLoops = () => {}
  app.addHook('onReady', async () => {
    stopLoops = await startBackgroundLoops(services, config, app.log)
    if (deps.runScheduler ?? true) services.scheduler.start()
  })
  app.addHook('onClose', async () => {
    stopLoops()
    await services.scheduler.stop()
    await services.intake.close()
  })
  return app
}
