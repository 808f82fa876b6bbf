// The citizen's side: the website question form and the status page behind a tracking code.
import { randomUUID } from 'node:crypto'
import { normalizeTrackingCode, topicByCode, TOPICS, TRACKING_CODE_RE, type PublicOptions, type PublicQuestionBody, type PublicStatus } from '@tanggap/shared'
import { newTrackingCode } from '../../lib/crypto.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import type { DeliveriesRepo } from '../deliveries/deliveries.repo.ts'
import type { DeliveriesService } from '../deliveries/deliveries.service.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'

interface Deps {
  deliveries: Pick<DeliveriesService, 'store'>
  deliveriesRepo: Pick<DeliveriesRepo, 'byTrackingCode'>
  items: ItemsRepo
  opds: OpdsRepo
  channels: ChannelsRepo
  clock: () => number
}

export function publicService(d: Deps) {
  return {
    options(): PublicOptions {
      return { topics: TOPICS.map(({ code, label }) => ({ code, label })), opds: d.opds.list() }
    },

    /**
     * Stores the question as a website delivery and returns its tracking code at once; routing
     * happens in the queued job. The same Idempotency-Key returns the first submission's code.
     */
    async ask(body: PublicQuestionBody, rawBody: Buffer, idempotencyKey: string | undefined): Promise<{ trackingCode: string; created: boolean }> {
      const bad: string[] = []
      if (body.topic && !topicByCode(body.topic)) bad.push('topic')
      if (body.opdCode && d.opds.idByCode(body.opdCode) === undefined) bad.push('opdCode')
      if (!body.name.trim()) bad.push('name')
      if (body.text.trim().length < 5) bad.push('text')
      if (bad.length) throw new AppError('VALIDATION', `Invalid ${bad.join(', ')}`, bad)
      const channel = d.channels.firstOf('website')
      if (!channel) throw new AppError('UNAVAILABLE', 'The website form has no channel configured')
      const stored = await d.deliveries.store({
        platform: 'website',
        channelId: channel.id,
        dedupeKey: idempotencyKey ? `website:idem:${idempotencyKey}` : `website:${randomUUID()}`,
        trackingCode: newTrackingCode(),
        rawBody,
        receivedAt: d.clock(),
      })
      return { trackingCode: stored.trackingCode!, created: stored.created }
    },

    status(code: string): PublicStatus {
      const trackingCode = normalizeTrackingCode(code)
      if (!TRACKING_CODE_RE.test(trackingCode)) throw notFound('Question')
      const item = d.items.byTrackingCode(trackingCode)
      if (item) {
        const opd = d.opds.byId(item.opdId)!
        const thread = d.items.thread(item.id)
        return {
          trackingCode,
          status: item.status,
          question: thread.find((m) => m.direction === 'in')?.text ?? item.preview,
          askedAt: item.firstMessageAt,
          opdName: opd.name,
          answers: thread.filter((m) => m.direction === 'out').map((m) => ({ text: m.text, at: m.sentAt, opdName: opd.name })),
        }
      }
      const delivery = d.deliveriesRepo.byTrackingCode(trackingCode)
      if (!delivery) throw notFound('Question')
      const body = JSON.parse(delivery.rawBody.toString('utf8')) as PublicQuestionBody
      return { trackingCode, status: 'received', question: body.text, askedAt: delivery.receivedAt, opdName: null, answers: [] }
    },

    exists(code: string): boolean {
      try {
        this.status(code)
        return true
      } catch {
        return false
      }
    },
  }
}

export type PublicService = ReturnType<typeof publicService>
