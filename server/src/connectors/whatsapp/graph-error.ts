// Graph API errors from the WhatsApp Cloud API, sorted into "try again later" and "retrying cannot
// fix this". Meta says to decide on `code` (and error_data.details), not on the HTTP status: most
// errors, rate limits included, come back as HTTP 400. Body shape:
//   {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
//             "error_data":{"messaging_product":"whatsapp","details":"…"},"fbtrace_id":"…"}}
import { PermanentJobError } from '../../jobs/registry.ts'
import { field, obj, str } from '../read.ts'

/** Codes that clear up by themselves: rate limits, throughput, pair rate, Meta-side outages. */
const TEMPORARY = new Set([
  1,
  2, // API unknown / temporarily unavailable
  4,
  17,
  32,
  613,
  80007, // app, user, page and WABA rate limits
  130429, // throughput (80 mps by default) exceeded
  131000, // "something went wrong"
  131016, // service unavailable
  131056, // pair rate: too many messages to the same user in a short time ⚠ (wording unverified)
  131057, // account in maintenance mode
  133004, // server temporarily unavailable
])

/** Plain words for the codes an OPD admin will meet, shown on the item with Meta's own text. */
const EXPLAIN: Record<number, string> = {
  131047: 'more than 24 hours have passed since the citizen last wrote: WhatsApp only allows an approved template now',
  131026: 'the citizen cannot receive this message (number not on WhatsApp, old app version, or blocked us)',
  131051: 'WhatsApp does not support this message type',
  131021: 'the recipient is the business number itself',
  131030: 'the recipient is not on the test number’s allowed list',
  131031: 'the WhatsApp Business account is locked',
  131048: 'the number is restricted for spam; sending resumes later',
  133010: 'the phone number is not registered on the Cloud API',
  190: 'the access token has expired or is invalid: update the channel’s access token',
  100: 'the request was refused as invalid',
  10: 'the access token lacks the whatsapp_business_messaging permission',
  200: 'the access token lacks permission for this phone number',
  368: 'the account is temporarily blocked for policy violations',
}

export interface GraphError {
  code: number | null
  message: string
}

export function readGraphError(body: unknown): GraphError {
  const error = obj(field(body, 'error'))
  const raw = field(error, 'code')
  const code = typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : null
  const details = str(field(error, 'error_data', 'details'), 500)
  const message = [str(field(error, 'message'), 300), details].filter(Boolean).join(' — ')
  return { code, message }
}

/** The error to throw for a failed call: PermanentJobError unless a retry can help. */
export function sendFailure(status: number, body: unknown): Error {
  const { code, message } = readGraphError(body)
  const what = [`WhatsApp API ${status}${code !== null ? ` (code ${code})` : ''}`, message || 'no error message', code !== null ? EXPLAIN[code] : undefined]
    .filter(Boolean)
    .join(': ')
  const knownPermanent = code !== null && !TEMPORARY.has(code) && code in EXPLAIN
  const temporary = (code !== null && TEMPORARY.has(code)) || ((status === 429 || status >= 500) && !knownPermanent)
  return temporary ? new Error(what) : new PermanentJobError(what)
}
