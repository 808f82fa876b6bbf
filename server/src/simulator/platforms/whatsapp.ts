// WhatsApp in the simulator: a fake Cloud API (send message, phone number info) answering in Graph's
// shapes and errors, and a maker of signed "whatsapp_business_account" deliveries as Meta sends them.
import { randomBytes } from 'node:crypto'
import { DEMO_SECRETS } from '@tanggap/db/seed'
import { signMeta } from '../../connectors/meta/verify.ts'
import type { ApiAnswer, ApiCall, DeliveryMaker, PlatformApi, SimPost } from '../types.ts'

/** The demo WhatsApp Business account and the number as citizens see it (Tegal's area code). */
const DEMO_WABA_ID = '102290129340398'
const DEMO_DISPLAY_NUMBER = '62283491000'

const graphError = (status: number, code: number, message: string, details?: string, type = 'OAuthException'): ApiAnswer => ({
  status,
  body: {
    error: {
      message,
      type,
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: randomBytes(9).toString('base64url'),
    },
  },
})

/** A wamid: base64 of an opaque id, as WhatsApp's look. */
const newWamid = () => `wamid.${randomBytes(30).toString('base64')}`

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function sendMessage(body: unknown): ApiAnswer {
  if (!isObject(body)) return graphError(400, 100, '(#100) Invalid parameter', 'The request body is not JSON.')
  if (body.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.')
  const to = typeof body.to === 'string' ? body.to : undefined
  const recipient = typeof body.recipient === 'string' ? body.recipient : undefined
  if (!to && !recipient) return graphError(400, 100, '(#100) The parameter to is required.')
  if (body.type !== 'text') return graphError(400, 131051, '(#131051) Unsupported message type', 'The simulator only accepts text messages.')
  const text = isObject(body.text) ? body.text.body : undefined
  if (typeof text !== 'string' || !text.trim()) return graphError(400, 100, '(#100) Invalid parameter', "Param text['body'] is required.")
  if ([...text].length > 4096) return graphError(400, 100, '(#100) Invalid parameter', "Param text['body'] must be at most 4096 characters long.")
  if (body.context !== undefined && !(isObject(body.context) && typeof body.context.message_id === 'string')) {
    return graphError(400, 100, '(#100) Invalid parameter', "Param context['message_id'] must be a string.")
  }
  const input = to ?? recipient!
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [to ? { input, wa_id: input } : { input, user_id: input }],
      messages: [{ id: newWamid() }],
    },
  }
}

export const whatsappApi: PlatformApi = (call: ApiCall) => {
  const auth = call.headers.authorization
  if (auth !== `Bearer ${DEMO_SECRETS.meta.accessToken}`) {
    return graphError(
      401,
      190,
      auth ? 'Invalid OAuth access token - Cannot parse access token' : 'An active access token must be used to query information about the current user.',
    )
  }
  const [, phoneNumberId, edge, ...rest] = call.path.split('/')
  if (!phoneNumberId || !/^\d{1,20}$/.test(phoneNumberId) || rest.length) {
    return graphError(400, 100, `Unsupported ${call.method.toLowerCase()} request. Please read the Graph API documentation`, undefined, 'GraphMethodException')
  }
  if (call.method === 'POST' && edge === 'messages') return sendMessage(call.body)
  if (call.method === 'GET' && edge === undefined) {
    return {
      status: 200,
      body: { verified_name: 'Simulasi WA Pemkab Tegal', display_phone_number: '+62 283-491000', quality_rating: 'GREEN', id: phoneNumberId },
    }
  }
  return graphError(
    400,
    100,
    `Unsupported ${call.method.toLowerCase()} request. Object with ID '${phoneNumberId}' does not support this operation`,
    undefined,
    'GraphMethodException',
  )
}

/** Meta sends non-ASCII characters escaped as \uXXXX (lowercase hex) and signs those bytes. */
export const escapeNonAscii = (json: string): string => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const wamidOf = (id: string) => (id.startsWith('wamid.') ? id : `wamid.${id}`)
const seconds = (ms: number) => String(Math.floor(ms / 1000))

/**
 * Citizens' posts become `messages` from their number (the thread is the author's number: authorId);
 * posts `fromAccount` become `smb_message_echoes` to the citizen named by threadId, as staff typing in
 * the WhatsApp Business app on a coexistence number.
 */
export const whatsappMaker: DeliveryMaker = {
  platform: 'whatsapp',
  kinds: ['dm'],
  make(channel, posts: SimPost[]) {
    const metadata = { display_phone_number: DEMO_DISPLAY_NUMBER, phone_number_id: channel.accountId }
    const inbound = posts.filter((p) => !p.fromAccount)
    const echoes = posts.filter((p) => p.fromAccount)
    const changes: unknown[] = []
    if (inbound.length) {
      const contacts = [...new Map(inbound.map((p) => [p.authorId, { profile: { name: p.authorName }, wa_id: p.authorId }])).values()]
      changes.push({
        value: {
          messaging_product: 'whatsapp',
          metadata,
          contacts,
          messages: inbound.map((p) => ({
            ...(p.parentId ? { context: { from: DEMO_DISPLAY_NUMBER, id: wamidOf(p.parentId) } } : {}),
            from: p.authorId,
            id: wamidOf(p.messageId),
            timestamp: seconds(p.at),
            type: 'text',
            text: { body: p.text },
          })),
        },
        field: 'messages',
      })
    }
    if (echoes.length) {
      changes.push({
        value: {
          messaging_product: 'whatsapp',
          metadata,
          message_echoes: echoes.map((p) => ({
            from: DEMO_DISPLAY_NUMBER,
            to: p.threadId,
            id: wamidOf(p.messageId),
            timestamp: seconds(p.at),
            type: 'text',
            text: { body: p.text },
          })),
        },
        field: 'smb_message_echoes',
      })
    }
    const body = escapeNonAscii(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: DEMO_WABA_ID, changes }] }))
    const appSecret = channel.credentials.appSecret ?? DEMO_SECRETS.meta.appSecret
    return { method: 'POST', path: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(appSecret, body) }, body }
  },
}
