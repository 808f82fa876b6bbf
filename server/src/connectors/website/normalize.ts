// The website form's delivery body is the JSON the form posted, kept verbatim and read as the door
// read it (question.ts); the tracking code and the time of receipt are on the delivery itself (the
// form has no platform clock of its own).
import { topicByCode } from '@tanggap/shared'
import type { Normalizer } from '../types.ts'
import { readWebsiteQuestion } from './question.ts'

export const normalizeWebsite: Normalizer = (delivery, ctx) => {
  const q = readWebsiteQuestion(delivery.rawBody)
  if (!delivery.trackingCode || delivery.channelId === null) throw new Error('website delivery without tracking code or channel')
  const topic = q.topic ? topicByCode(q.topic) : undefined
  const opdCode = q.opdCode ?? topic?.opdCode
  return [
    {
      // The delivery names its channel already.
      accountId: '',
      verb: 'add',
      kind: 'form',
      externalThreadId: delivery.trackingCode,
      externalId: `form:${delivery.trackingCode}`,
      direction: 'in',
      authorName: q.name,
      authorExternalId: null,
      text: q.text,
      sentAt: delivery.receivedAt,
      citizenContact: q.contact,
      topic: topic?.code ?? null,
      trackingCode: delivery.trackingCode,
      opdId: (opdCode && ctx.opdIdByCode(opdCode)) || ctx.triageOpdId(),
    },
  ]
}
