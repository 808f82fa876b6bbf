// The citizen-facing API: no sign-in; rate-limited per IP.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { LIMITS, PublicOptions, PublicQuestionAccepted, PublicQuestionBody, PublicStatus } from '@tanggap/shared'
import type { Config } from '../../config.ts'
import { newTrackingCode } from '../../lib/crypto.ts'
import type { PublicService } from './public.service.ts'

interface Opts {
  service: PublicService
  config: Config
}

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: LIMITS.idempotencyKey, pattern: '^[A-Za-z0-9_.:-]+$' })),
})

export const publicRoutes: FastifyPluginAsyncTypebox<Opts> = async (app, { service, config }) => {
  app.get('/api/public/options', { schema: { tags: ['public'], response: { 200: PublicOptions } } }, async () => service.options())

  app.post(
    '/api/public/questions',
    {
      schema: {
        tags: ['public'],
        body: PublicQuestionBody,
        headers: IdempotencyHeaders,
        response: { 200: PublicQuestionAccepted, 201: PublicQuestionAccepted },
      },
      config: { rateLimit: { max: config.rateLimit.questionsPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      if (req.body.website) {
        // A bot filled the honeypot: answer as if accepted, keep nothing.
        req.log.info('honeypot filled; question dropped')
        const trackingCode = newTrackingCode()
        return reply.code(201).send({ trackingCode, statusUrl: `/lacak/${trackingCode}` })
      }
      const { trackingCode, created } = await service.ask(req.rawBody!, req.headers['idempotency-key'])
      return reply.code(created ? 201 : 200).send({ trackingCode, statusUrl: `/lacak/${trackingCode}` })
    },
  )

  app.get(
    '/api/public/questions/:code',
    {
      schema: { tags: ['public'], params: Type.Object({ code: Type.String({ maxLength: 32 }) }), response: { 200: PublicStatus } },
      // Generous for a citizen refreshing, tight enough to make guessing codes pointless.
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
    },
    async (req) => service.status(req.params.code),
  )
}
