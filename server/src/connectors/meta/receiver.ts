// The one Meta webhook endpoint for Facebook Pages (feed comments, Messenger), Instagram
// (comments, mentions, DMs) and WhatsApp. GET answers the subscription handshake with a channel's
// verify token; POST checks X-Hub-Signature-256 over the raw bytes, stores the delivery under the
// platform its `object` names, and answers 200 at once.
import type { FastifyPluginAsync } from 'fastify'
import { createHash } from 'node:crypto'
import type { Platform } from '@tanggap/shared'
import { safeEqual } from '../../lib/crypto.ts'
import { AppError } from '../../lib/errors.ts'
import type { ReceiverDeps } from '../types.ts'
import { META_SIGNATURE_HEADER, verifyMetaSignature } from './verify.ts'

export const META_PLATFORMS: Platform[] = ['facebook', 'instagram', 'whatsapp']

const PLATFORM_BY_OBJECT: Record<string, Platform> = {
  page: 'facebook',
  instagram: 'instagram',
  whatsapp_business_account: 'whatsapp',
}

export const metaReceiver: FastifyPluginAsync<ReceiverDeps> = async (app, deps) => {
  app.get<{ Querystring: Record<string, string | undefined> }>('/webhooks/meta', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query
    const token = q['hub.verify_token'] ?? ''
    const known = deps.channelsOf(META_PLATFORMS).some((c) => c.credentials.verifyToken !== undefined && safeEqual(c.credentials.verifyToken, token))
    if (q['hub.mode'] !== 'subscribe' || !known || !q['hub.challenge']) throw new AppError('FORBIDDEN', 'Verify token not recognised')
    // Meta expects the challenge back as the raw body: no JSON, no quotes.
    return reply.type('text/plain').send(q['hub.challenge'].slice(0, 200))
  })

  app.post('/webhooks/meta', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.body as Buffer
    const secrets = new Set(deps.channelsOf(META_PLATFORMS).map((c) => c.credentials.appSecret).filter((s): s is string => !!s))
    if (!verifyMetaSignature(raw, req.headers[META_SIGNATURE_HEADER] as string | undefined, secrets)) {
      throw new AppError('UNAUTHENTICATED', 'Bad or missing X-Hub-Signature-256')
    }
    let object: unknown
    try {
      object = (JSON.parse(raw.toString('utf8')) as { object?: unknown }).object
    } catch {
      throw new AppError('VALIDATION', 'Body is not JSON')
    }
    const platform = typeof object === 'string' && Object.hasOwn(PLATFORM_BY_OBJECT, object) ? PLATFORM_BY_OBJECT[object] : undefined
    if (!platform) {
      // Signed, but for objects we do not ingest (e.g. "user"): acknowledge so Meta stops retrying.
      req.log.info({ object }, 'meta delivery for an object we do not ingest')
      return reply.code(200).send({ ok: true })
    }
    // Meta redelivers the same bytes on retry: the body's hash is the delivery's key.
    await deps.accept({ platform, channelId: null, dedupeKey: `meta:${createHash('sha256').update(raw).digest('hex')}`, rawBody: raw })
    return reply.code(200).send({ ok: true })
  })
}
