// Defensive readers for platform JSON, shared by every connector. Webhook bodies and API answers are
// outside input: each value is type-checked before use and reads as undefined when it is not what we
// expect. Rules that belong to one platform (its id shapes, date formats) stay in its connector.
import { LIMITS } from '@tanggap/shared'

export type Json = Record<string, unknown>

/**
 * What a message keeps of its text, in UTF-16 units: the API's limit for a message's text
 * (LIMITS.questionText, as for a website question). Platforms send up to a few thousand characters
 * (WhatsApp and Telegram 4,096); a text longer than this ends in CUT_MARK, and its delivery keeps the
 * whole body until it is pruned. Normalizers cut with text() or cutText(), never otherwise, so no
 * hostile 300,000-character string goes further than the normalizer.
 */
export const MAX_TEXT = LIMITS.questionText
/** Ends a text that was cut, so the admin sees that there was more (on the platform, and in the raw delivery). */
export const CUT_MARK = '…'
/** What we keep of an author's name. */
export const MAX_NAME = LIMITS.name

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
export const obj = (v: unknown): Json | undefined => (isObject(v) ? v : undefined)
export const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined)

/**
 * The value at `path` through own properties only, or undefined: a key taken from the payload (a
 * "type" of "constructor", a user id of "__proto__") must not find Object.prototype's members.
 */
export function field(v: unknown, ...path: string[]): unknown {
  for (const key of path) {
    if (!isObject(v) || !Object.hasOwn(v, key)) return undefined
    v = v[key]
  }
  return v
}

/** A string no longer than `max`; anything else (numbers too: an id must never pass through a Number) is undefined. */
export const str = (v: unknown, max = Infinity): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined)

/** A number, or a string of up to 16 digits as platforms write times ("1516403560557"); else undefined. */
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : undefined)

/** Cuts to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/** The text as sent when it fits in `max`; else its start, ending in CUT_MARK, `max` units in all. */
export const cutText = (s: string, max: number = MAX_TEXT): string => (s.length <= max ? s : clip(s, max - CUT_MARK.length) + CUT_MARK)

/** A citizen's text as sent (never trimmed or re-encoded), cut to what we store (see cutText). */
export const text = (v: unknown, max: number = MAX_TEXT): string | undefined => (typeof v === 'string' ? cutText(v, max) : undefined)

/** A display name, trimmed and cut to the name limit; undefined when blank. */
export const name = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? clip(v.trim(), MAX_NAME) : undefined)

/** An opaque platform id: 1 to `max` printable ASCII characters, no spaces. */
export const isOpaqueId = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && /^[\x21-\x7e]+$/.test(v)

/** An id written as a JSON number (older payloads do): its digits when it is an exact non-negative integer. */
export const numericId = (v: unknown): string | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined)

const YEAR_2000 = Date.UTC(2000, 0, 1)
const YEAR_2100 = Date.UTC(2100, 0, 1)

/**
 * Epoch milliseconds from a platform time in seconds or milliseconds (platforms mix the two): below
 * 1e11 a value can only be seconds (1e11 s is the year 5138, 1e11 ms is 1973). A time outside
 * [since, until) is a broken field, not the platform's clock, and reads as undefined.
 */
export function epochMs(v: unknown, since = YEAR_2000, until = YEAR_2100): number | undefined {
  const n = num(v)
  if (n === undefined || !Number.isFinite(n)) return undefined
  const ms = Math.round(n < 1e11 ? n * 1000 : n)
  return ms >= since && ms < until ? ms : undefined
}

/**
 * The text without a leading UTF-8 byte-order mark. Some senders (Windows tools, proxies) put one
 * before JSON; JSON.parse refuses it ("Unexpected token") while Fastify's parser at the door skips it.
 */
export const withoutBom = (raw: string): string => (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw)

/**
 * JSON.parse, except that integers too large for a double (ids written as bare numbers, like TikTok's
 * 19-digit ones) come back as strings with every digit, and a leading byte-order mark is skipped.
 * Node 20's JSON.parse gives a reviver no source text, so such literals are quoted first by a scan
 * that skips string contents. Throws SyntaxError.
 */
export function parseJsonKeepingIds(text: string): unknown {
  const raw = withoutBom(text)
  if (!/\d{16}/.test(raw)) return JSON.parse(raw)
  let out = ''
  let from = 0
  let i = 0
  const n = raw.length
  while (i < n) {
    const c = raw.charCodeAt(i)
    if (c === 0x22) {
      // A string literal, escapes included: digits in it are text.
      i++
      while (i < n && raw.charCodeAt(i) !== 0x22) i += raw.charCodeAt(i) === 0x5c ? 2 : 1
      i++
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      while (j < n && /[0-9.eE+-]/.test(raw[j]!)) j++
      const token = raw.slice(i, j)
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${raw.slice(from, i)}"${token}"`
        from = j
      }
      i = j
    } else i++
  }
  return JSON.parse(out + raw.slice(from))
}

/** A JSON object (a leading byte-order mark skipped), or a plain Error saying "<what> is not valid JSON" / "… is not a JSON object". */
export function parseObject(raw: string, what: string, parse: (raw: string) => unknown = parseJsonKeepingIds): Json {
  let v: unknown
  try {
    v = parse(withoutBom(raw))
  } catch {
    throw new Error(`${what} is not valid JSON`)
  }
  if (!isObject(v)) throw new Error(`${what} is not a JSON object`)
  return v
}
