// A reply the platform accepted but later reports undelivered (WhatsApp's "failed" status, e.g.
// outside the 24-hour window): the reply is failed with the platform's reason, and it stops
// counting as the government's answer — the awaiting period it had closed runs again.
import { and, eq, inArray } from 'drizzle-orm'
import { messages, metricEvents, replies, slaPeriods } from '@tanggap/db'
import type { Platform } from '@tanggap/shared'
import type { Tx } from '../audit/audit.repo.ts'
import type { ItemsRepo } from './items.repo.ts'

/** Returns the item touched, or null when the status names no reply of ours that is not failed already. */
export function failSentReply(tx: Tx, items: ItemsRepo, platform: Platform, externalId: string, reason: string, now: number): number | null {
  const reply = tx.select().from(replies).where(eq(replies.externalId, externalId)).get()
  if (!reply || reply.state === 'failed') return null
  tx.update(replies)
    .set({ state: 'failed', error: reason.slice(0, 500) })
    .where(eq(replies.id, reply.id))
    .run()
  tx.delete(messages)
    .where(and(eq(messages.platform, platform), eq(messages.externalId, externalId), eq(messages.direction, 'out')))
    .run()
  const period =
    reply.sentAt === null
      ? undefined
      : tx
          .select()
          .from(slaPeriods)
          .where(and(eq(slaPeriods.itemId, reply.itemId), eq(slaPeriods.answeredAt, reply.sentAt)))
          .get()
  if (period) {
    tx.update(slaPeriods)
      .set({ answeredAt: null, responseSeconds: null, responseWorkingSeconds: null, answerOpdId: null })
      .where(eq(slaPeriods.id, period.id))
      .run()
    tx.delete(metricEvents)
      .where(and(eq(metricEvents.periodId, period.id), inArray(metricEvents.type, ['first_response', 'next_response'])))
      .run()
    items.update(tx, reply.itemId, {
      status: 'open',
      awaitingSince: period.startedAt,
      dueAt: period.dueAt,
      warnAt: period.warnAt,
      breachedAt: period.breachedAt,
      pausedSince: null,
      updatedAt: now,
      ...(period.kind === 'first' ? { firstResponseAt: null, firstResponseSeconds: null, firstResponseWorkingSeconds: null } : {}),
    })
  }
  return reply.itemId
}
