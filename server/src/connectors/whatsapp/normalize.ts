// WhatsApp Cloud API deliveries (platform-specs.md §5) into messages. One delivery may batch many
// entries, changes and messages; each is read on its own, so one odd message does not hide the rest.
//   field "messages"            value.messages[]        citizens writing to our number (direction in)
//   field "smb_message_echoes"  value.message_echoes[]  staff typing in the WhatsApp Business app on a
//                                                        coexistence number: native replies (direction out)
// value.statuses[] (sent/delivered/read/failed of our own sends) makes no message: see statuses.ts.
// The thread is the citizen's conversation with the phone number: their wa_id, or their
// business-scoped user id (BSUID) when they hide their number behind a username.
import { cutText, field, isObject, list, MAX_NAME, obj, str, type Json } from '../read.ts'
import type { NormalizedEvent, Normalizer } from '../types.ts'
import { describe, IGNORED, UnreadableMessage, visibleText } from './describe.ts'
import { epochSecondsToMs } from './statuses.ts'

/** Shown as the author of replies staff typed natively in the WhatsApp Business app. */
export const NATIVE_APP_AUTHOR = 'Aplikasi WhatsApp Business'

const MAX_ID = 256

interface ChangeContext {
  accountId: string
  contacts: Json[]
  contactById: Map<string, Json>
}

const nonEmpty = (v: unknown, max = MAX_ID): string | undefined => {
  const s = str(v, max)
  return s?.trim() ? s : undefined
}

/** wa_id values are phone numbers in international form without "+". */
const isPhone = (s: string) => /^\d{6,20}$/.test(s)

function contactsOf(value: Json): Pick<ChangeContext, 'contacts' | 'contactById'> {
  const contacts = (list(field(value, 'contacts')) ?? []).filter(isObject)
  const contactById = new Map<string, Json>()
  // Newer payloads name users by business-scoped user_id and may omit wa_id (⚠ BSUID rollout, 2026).
  for (const key of ['user_id', 'wa_id']) {
    for (const c of contacts) {
      const id = nonEmpty(field(c, key))
      if (id && !contactById.has(id)) contactById.set(id, c)
    }
  }
  return { contacts, contactById }
}

function citizenName(ctx: ChangeContext, ids: (string | undefined)[], fallback: string): string {
  // wa_id can differ from `from` (e.g. Brazil's extra 9): with one contact in the change, it is the sender.
  const contact = ids.map((id) => id && ctx.contactById.get(id)).find(Boolean) ?? (ctx.contacts.length === 1 ? ctx.contacts[0] : undefined)
  return visibleText(field(contact, 'profile', 'name'), MAX_NAME) ?? visibleText(field(contact, 'profile', 'username'), MAX_NAME) ?? fallback
}

function readMessage(m: unknown, direction: 'in' | 'out', ctx: ChangeContext): NormalizedEvent | typeof IGNORED {
  if (!isObject(m)) throw new UnreadableMessage('message is not an object')
  const id = nonEmpty(field(m, 'id'))
  if (!id) throw new UnreadableMessage('message without an id')
  const sentAt = epochSecondsToMs(field(m, 'timestamp'))
  if (sentAt === undefined) throw new UnreadableMessage(`message ${id} without a valid timestamp`)

  // The citizen: the sender of an inbound message, the recipient of a native echo.
  const phone = direction === 'in' ? nonEmpty(field(m, 'from'), 64) : nonEmpty(field(m, 'to'), 64)
  const userId = direction === 'in' ? nonEmpty(field(m, 'from_user_id'), 128) : nonEmpty(field(m, 'to_user_id'), 128)
  const citizen = phone ?? userId
  if (!citizen) throw new UnreadableMessage(`message ${id} without ${direction === 'in' ? 'a sender' : 'a recipient'}`)
  // A group conversation (Cloud API groups ⚠) is one thread, whoever writes in it.
  const group = nonEmpty(field(m, 'group_id'), 128)
  const externalThreadId = group ? `group:${group}` : citizen

  const type = str(field(m, 'type'), 64)
  let verb: NormalizedEvent['verb'] = 'add'
  let externalId = id
  let body: string | typeof IGNORED
  if (type === 'edit' || type === 'revoke') {
    // Edits and revokes name the message they change (coexistence numbers only; edits currently
    // arrive as "unsupported" messages instead, per Meta's reference ⚠).
    const change = obj(field(m, type))
    const original = nonEmpty(field(change, 'original_message_id'))
    if (!original) throw new UnreadableMessage(`${type} ${id} without original_message_id`)
    verb = type === 'edit' ? 'edit' : 'delete'
    externalId = original
    body = type === 'edit' ? describe(obj(field(change, 'message'))) : ''
  } else {
    body = describe(m)
  }
  if (body === IGNORED) return IGNORED

  const context = obj(field(m, 'context'))
  const forwarded = field(context, 'forwarded') === true || field(context, 'frequently_forwarded') === true
  const parent = nonEmpty(field(context, 'id')) ?? (type === 'reaction' ? nonEmpty(field(m, 'reaction', 'message_id')) : undefined)

  return {
    accountId: ctx.accountId,
    verb,
    kind: 'dm',
    externalThreadId,
    externalId,
    parentExternalId: parent ?? null,
    direction,
    authorName: direction === 'out' ? NATIVE_APP_AUTHOR : citizenName(ctx, [userId, phone], phone && isPhone(phone) ? `+${phone}` : citizen),
    authorExternalId: direction === 'out' ? ctx.accountId : citizen,
    // Chain messages forwarded many times are common: say so, the OPD reads them differently.
    text: cutText(forwarded && verb !== 'delete' ? `[diteruskan] ${body}` : body),
    sentAt,
    citizenContact: direction === 'in' && phone && isPhone(phone) ? `+${phone}` : null,
  }
}

export const normalizeWhatsapp: Normalizer = (delivery) => {
  let body: unknown
  try {
    body = JSON.parse(delivery.rawBody.toString('utf8'))
  } catch {
    throw new Error('WhatsApp delivery is not valid JSON')
  }
  if (field(body, 'object') !== 'whatsapp_business_account') throw new Error('WhatsApp delivery without object "whatsapp_business_account"')
  const entries = list(field(body, 'entry'))
  if (!entries) throw new Error('WhatsApp delivery without an entry list')

  const events: NormalizedEvent[] = []
  const problems: string[] = []
  entries.forEach((entry, e) => {
    const changes = list(field(entry, 'changes'))
    if (!changes) {
      problems.push(`entry ${e} has no changes list`)
      return
    }
    for (const change of changes) {
      const kind = field(change, 'field')
      const key = kind === 'messages' ? 'messages' : kind === 'smb_message_echoes' ? 'message_echoes' : undefined
      // Other fields (history sync, account and template updates, …) are not citizens' messages.
      if (!key) continue
      const value = obj(field(change, 'value'))
      if (!value) {
        problems.push(`entry ${e}: "${kind}" change without a value`)
        continue
      }
      const raw = field(value, key)
      if (raw === undefined) continue // e.g. a change that carries only statuses
      if (!Array.isArray(raw)) {
        problems.push(`entry ${e}: ${key} is not a list`)
        continue
      }
      const accountId = nonEmpty(field(value, 'metadata', 'phone_number_id'), 64)
      if (!accountId) {
        if (raw.length) problems.push(`entry ${e}: ${raw.length} message(s) without metadata.phone_number_id`)
        continue
      }
      const ctx: ChangeContext = { accountId, ...contactsOf(value) }
      for (const m of raw) {
        try {
          const event = readMessage(m, key === 'messages' ? 'in' : 'out', ctx)
          if (event !== IGNORED) events.push(event)
        } catch (err) {
          if (!(err instanceof UnreadableMessage)) throw err
          problems.push(err.message)
        }
      }
    }
  })
  // Keep what could be read; a delivery with nothing readable fails with the reasons, for a person to look at.
  if (!events.length && problems.length) {
    throw new Error(`No readable WhatsApp message: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`)
  }
  return events
}
