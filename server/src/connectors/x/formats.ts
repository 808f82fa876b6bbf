// X's own formats, on top of the shared readers (../read.ts). Ids stay strings: tweet and user ids
// pass 2^53, so a JSON number has already lost digits.
import { num, str } from '../read.ts'

const ID = /^[0-9]{1,25}$/

/** A numeric id given as a string (id_str, sender_id …); numbers are refused, never rounded. */
export const idStr = (v: unknown): string | undefined => (typeof v === 'string' && ID.test(v) ? v : undefined)

// X launched in March 2006: an earlier time is a broken field, not a real post.
const EARLIEST = Date.UTC(2006, 2, 1)
const DAY = 86_400_000

/** Epoch ms (an integer or a digit string), trusted between X's launch and a day after we received the delivery. */
export function plausible(v: unknown, receivedAt: number): number | undefined {
  const ms = num(v)
  return ms !== undefined && Number.isSafeInteger(ms) && ms >= EARLIEST && ms <= receivedAt + DAY ? ms : undefined
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
// v1.1 created_at: "Wed Oct 10 20:19:24 +0000 2018"; also RFC 2822 "Wed, 10 Oct 2018 20:19:24 +0000".
const V1_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/
const RFC2822 = /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/

/** Parses X's created_at strictly (Date.parse accepts too much, and differently per engine). */
export function parseCreatedAt(v: unknown): number | undefined {
  const s = str(v, 64)
  if (!s) return undefined
  let parts: [string, string, string, string, string, string, string, string, string] | undefined
  const a = V1_DATE.exec(s)
  if (a) parts = [a[9]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!]
  const b = RFC2822.exec(s)
  if (b) parts = [b[3]!, b[2]!, b[1]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!]
  if (!parts) return undefined
  const [year, mon, day, hh, mm, ss, sign, oh, om] = parts
  const month = MONTHS.indexOf(mon)
  if (month < 0 || Number(day) < 1 || Number(day) > 31 || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000
  return Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)) - offset
}
