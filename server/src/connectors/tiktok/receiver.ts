// POST /webhooks/tiktok: one TikTok Business event per request (comment.update, im_receive_msg,
// im_send_msg, …). The signature is checked over the raw bytes against the client secrets of the
// TikTok channels; the body is stored as is and answered at once. Which account it concerns
// (`user_openid`) is read later by the normalizer, so channelId stays null.
import { createHash } from 'node:crypto'
import { AppError } from '../../lib/errors.ts'
import type { Receiver } from '../types.ts'
import { TIKTOK_SIGNATURE_HEADER, verifyTiktokSignature } from './verify.ts'

export const tiktokReceiver: Receiver = async (app, deps) => {
  app.post('/webhooks/tiktok', { schema: { hide: true } }, async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const secrets = deps
      .channelsOf(['tiktok'])
      .map((c) => c.credentials.clientSecret)
      .filter((s): s is string => !!s)
    const verdict = verifyTiktokSignature(raw, req.headers[TIKTOK_SIGNATURE_HEADER], secrets, deps.clock())
    if (!verdict.ok) throw new AppError('UNAUTHENTICATED', verdict.reason)
    // TikTok retries the same bytes (with a fresh t=) for up to 72 h: the body's hash is the key.
    await deps.accept({ platform: 'tiktok', channelId: null, dedupeKey: `tiktok:${createHash('sha256').update(raw).digest('hex')}`, rawBody: raw })
    return reply.code(200).send({ ok: true })
  })
}
