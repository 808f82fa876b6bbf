// The one Meta webhook endpoint for Facebook Pages (feed comments, Messenger), Instagram
// (comments, mentions, DMs) and WhatsApp. GET answers the subscription handshake with a channel's
// verify token; POST checks X-Hub-Signature-256 over the raw bytes, stores the delivery under the
// platform its `object` names, and answers 200 at once.
import type { FastifyPluginAsync } from 'fastify'
import { createHash } from 'node:crypto'
import type { Platform } from '@tanggap/shared'
import { safeEqual } from '../../lib/crypto.ts'
import { AppError } from '../../lib/errors.ts'
import type { OpenChannel, ReceiverDeps } from '../types.ts'
import { META_SIGNATURE_HEADER, verifyMetaSignature } from './verify.ts'

export const META_PLATFORMS: Platform[] = ['facebook', 'instagram', 'whatsapp']

const PLATFORM_BY_OBJECT: Record<string, Platform> = {
  page: 'facebook',
  instagram: 'instagram',
  whatsapp_business_account: 'whatsapp',
}

/**
 * Meta writes `object` first: it is read from the start of the body, and the whole body is parsed
 * here only when it is not there (the job parses it anyway). A signed body that starts well and
 * breaks later is stored, and its job marks it failed with the reason.
 */
const OBJECT_FIRST = /^\{\s*"object"\s*:\s*"([a-z_]{1,40})"\s*,/

function objectOf(raw: Buffer): unknown {
  const head = OBJECT_FIRST.exec(raw.toString('latin1', 0, 64))
  if (head) return head[1]
  try {
    return (JSON.parse(raw.toString('utf8')) as { object?: unknown } | null)?.object
  } catch {
    throw new AppError('VALIDATION', 'Body is not JSON')
  }
}

export const metaReceiver: FastifyPluginAsync<ReceiverDeps> = async (app, deps) => {
  // The app secrets, worked out again only when the channel list changes.
  const secrets = new WeakMap<readonly OpenChannel[], Set<string>>()
  const secretsOf = (channels: readonly OpenChannel[]) => {
    let set = secrets.get(channels)
    if (!set) secrets.set(channels, (set = new Set(channels.map((c) => c.credentials.appSecret).filter((s): s is string => !!s))))
    return set
  }

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
    if (!verifyMetaSignature(raw, req.headers[META_SIGNATURE_HEADER] as string | undefined, secretsOf(deps.channelsOf(META_PLATFORMS)))) {
      throw new AppError('UNAUTHENTICATED', 'Bad or missing X-Hub-Signature-256')
    }
    const object = objectOf(raw)
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
