// value.statuses[]: what became of messages we sent (sent → delivered → read, or failed). They make
// no inbox message; a "failed" one (e.g. 131047, the 24-hour window, reported only here) fails the
// reply with Meta's reason (Connector.statuses). Statuses arrive out of order and are retried.
import { field, isObject, list, numericId, obj, str } from '../read.ts'

export type WhatsappStatus = 'sent' | 'delivered' | 'read' | 'failed'

export interface StatusUpdate {
  accountId: string
  /** The wamid our send returned (replies.externalId). */
  externalId: string
  status: WhatsappStatus
  at: number
  /** For "failed": Meta's code and explanation. */
  error: { code: number | null; message: string } | null
}

const STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed']

/** Meta's timestamps are strings of epoch seconds ("1749416383"); returns epoch milliseconds or undefined. */
export function epochSecondsToMs(v: unknown): number | undefined {
  const s = str(v) ?? numericId(v)
  return s !== undefined && /^\d{9,11}$/.test(s) ? Number(s) * 1000 : undefined
}

/** Every readable status in a WhatsApp delivery body; unreadable ones are skipped. Never throws. */
export function readStatuses(rawBody: Buffer): StatusUpdate[] {
  let body: unknown
  try {
    body = JSON.parse(rawBody.toString('utf8'))
  } catch {
    return []
  }
  const out: StatusUpdate[] = []
  for (const entry of list(field(body, 'entry')) ?? []) {
    for (const change of list(field(entry, 'changes')) ?? []) {
      if (field(change, 'field') !== 'messages') continue
      const value = obj(field(change, 'value'))
      const accountId = str(field(value, 'metadata', 'phone_number_id'), 64)
      for (const s of list(field(value, 'statuses')) ?? []) {
        const externalId = str(field(s, 'id'), 256)
        const status = str(field(s, 'status'), 16)
        const at = epochSecondsToMs(field(s, 'timestamp'))
        if (!accountId || !externalId || !status || !STATUSES.includes(status) || at === undefined) continue
        const first = (list(field(s, 'errors')) ?? []).find(isObject)
        const code = field(first, 'code')
        const details = str(field(first, 'error_data', 'details'), 500)
        const message = [str(field(first, 'title'), 200) ?? str(field(first, 'message'), 200), details].filter(Boolean).join(': ')
        out.push({
          accountId,
          externalId,
          status: status as WhatsappStatus,
          at,
          error: status === 'failed' ? { code: typeof code === 'number' ? code : null, message: message || 'failed without a reason' } : null,
        })
      }
    }
  }
  return out
}
