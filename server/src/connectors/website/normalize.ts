// The website form's delivery body is the JSON the form posted, kept verbatim; the tracking code
// and the time of receipt are on the delivery itself (the form has no platform clock of its own).
import { topicByCode, type PublicQuestionBody } from '@tanggap/shared'
import type { Normalizer } from '../types.ts'

export const normalizeWebsite: Normalizer = (delivery, ctx) => {
  const body = JSON.parse(delivery.rawBody.toString('utf8')) as PublicQuestionBody
  if (!delivery.trackingCode || delivery.channelId === null) throw new Error('website delivery without tracking code or channel')
  const topic = body.topic ? topicByCode(body.topic) : undefined
  const opdCode = body.opdCode ?? topic?.opdCode
  return [
    {
      // The delivery names its channel already.
      accountId: '',
      verb: 'add',
      kind: 'form',
      externalThreadId: delivery.trackingCode,
      externalId: `form:${delivery.trackingCode}`,
      direction: 'in',
      authorName: body.name.trim(),
      authorExternalId: null,
      text: body.text.trim(),
      sentAt: delivery.receivedAt,
      citizenContact: body.contact?.trim() || null,
      topic: topic?.code ?? null,
      trackingCode: delivery.trackingCode,
      opdId: (opdCode && ctx.opdIdByCode(opdCode)) || ctx.triageOpdId(),
    },
  ]
}
