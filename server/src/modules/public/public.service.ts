// The citizen's side: the website question form and the status page behind a tracking code.
import { randomUUID } from 'node:crypto'
import { normalizeTrackingCode, TOPICS, TRACKING_CODE_RE, type PublicOptions, type PublicStatus } from '@tanggap/shared'
import { InvalidQuestion, questionHash, readWebsiteQuestion, type WebsiteQuestion } from '../../connectors/website/question.ts'
import { newTrackingCode } from '../../lib/crypto.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import type { DeliveriesRepo } from '../deliveries/deliveries.repo.ts'
import type { DeliveriesService } from '../deliveries/deliveries.service.ts'
import type { ItemsRepo } from '../items/items.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'

interface Deps {
  deliveries: Pick<DeliveriesService, 'store'>
  deliveriesRepo: Pick<DeliveriesRepo, 'byTrackingCode' | 'byId'>
  items: ItemsRepo
  opds: OpdsRepo
  channels: ChannelsRepo
  clock: () => number
}

/** The question as the job will read it, or a 400 naming what is wrong. */
function readAtTheDoor(rawBody: Buffer): WebsiteQuestion {
  try {
    return readWebsiteQuestion(rawBody)
  } catch (err) {
    if (err instanceof InvalidQuestion) throw new AppError('VALIDATION', err.message, err.fields)
    throw err
  }
}

/** A stored question's text, or '' when its body cannot be read any more (pruned). */
function storedText(rawBody: Buffer): string {
  try {
    return readWebsiteQuestion(rawBody).text
  } catch {
    return ''
  }
}

export function publicService(d: Deps) {
  /** The question hash a stored delivery is bound to; rows stored before hashes were kept get theirs from the body. */
  const hashOf = (id: number, stored: string | null): string | null => {
    if (stored !== null) return stored
    const row = d.deliveriesRepo.byId(id)
    try {
      return row ? questionHash(readWebsiteQuestion(row.rawBody)) : null
    } catch {
      return null
    }
  }

  return {
    options(): PublicOptions {
      return { topics: TOPICS.map(({ code, label }) => ({ code, label })), opds: d.opds.list() }
    },

    /**
     * Stores the question as a website delivery and returns its tracking code at once; routing
     * happens in the queued job. The body is read here exactly as the job will read it, so only a
     * question that will become an item is accepted. An Idempotency-Key belongs to one question:
     * sent again with the same question it gives the first tracking code, with another it is refused.
     */
    async ask(rawBody: Buffer, idempotencyKey: string | undefined): Promise<{ trackingCode: string; created: boolean }> {
      const question = readAtTheDoor(rawBody)
      if (question.opdCode && d.opds.idByCode(question.opdCode) === undefined) throw new AppError('VALIDATION', 'Invalid opdCode', ['opdCode'])
      const channel = d.channels.firstOf('website')
      if (!channel) throw new AppError('UNAVAILABLE', 'The website form has no channel configured')
      const bodyHash = questionHash(question)
      const stored = await d.deliveries.store({
        platform: 'website',
        channelId: channel.id,
        dedupeKey: idempotencyKey ? `website:idem:${idempotencyKey}` : `website:${randomUUID()}`,
        trackingCode: newTrackingCode(),
        rawBody,
        bodyHash,
        receivedAt: d.clock(),
      })
      if (!stored.created && hashOf(stored.id, stored.bodyHash) !== bodyHash) {
        throw new AppError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was sent with another question; use a new key for a new question', ['idempotency-key'])
      }
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
      // No item yet: the job has not run, or it failed and the superadmin will process it again.
      // Either way the question was received, and the citizen is told so.
      const delivery = d.deliveriesRepo.byTrackingCode(trackingCode)
      if (!delivery) throw notFound('Question')
      return { trackingCode, status: 'received', question: storedText(delivery.rawBody), askedAt: delivery.receivedAt, opdName: null, answers: [] }
    },

    /** Whether a tracking code names a question (the /lacak page answers 404 otherwise). */
    exists(code: string): boolean {
      const trackingCode = normalizeTrackingCode(code)
      return (
        TRACKING_CODE_RE.test(trackingCode) &&
        (d.items.byTrackingCode(trackingCode) !== undefined || d.deliveriesRepo.byTrackingCode(trackingCode) !== undefined)
      )
    },
  }
}

export type PublicService = ReturnType<typeof publicService>
