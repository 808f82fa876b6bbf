// YouTube's own formats, on top of the shared readers (../read.ts): what is unreadable becomes a
// plain Error with a reason.
import { isObject, isOpaqueId, MAX_TEXT, type Json } from '../read.ts'

const MAX_ID = 256

/** YouTube ids are short printable ASCII (comment ids: base64url, replies "<thread>.<suffix>"). */
export const isId = (v: unknown): v is string => isOpaqueId(v, MAX_ID)

export function requireId(o: Json, key: string, where: string): string {
  const v = o[key]
  if (!isId(v)) throw new Error(`YouTube ${where}: ${key} is missing or not an id`)
  return v
}

export function requireObject(o: Json, key: string, where: string): Json {
  const v = o[key]
  if (!isObject(v)) throw new Error(`YouTube ${where}: ${key} is missing or not an object`)
  return v
}

// RFC 3339 as YouTube writes it ("2026-05-01T08:00:00Z", sometimes with fractions or an offset).
// Date.parse alone would accept far looser strings ("1" is a date to V8).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i

export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !RFC3339.test(v)) return undefined
  const ms = Date.parse(v)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

// textDisplay in YouTube's html format: <br>, links, <b>/<i>/<s> and escaped entities. Only these
// tags are removed, so a citizen's literal "<3" or "a < b" survives. The bounded [^>] keeps a
// hostile string of unclosed tags from costing quadratic time.
const TAGS = /<\/?(?:a|b|br|i|s|u|span|p|div)\b[^<>]{0,2000}>/gi
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export function htmlToText(html: string): string {
  return html
    .slice(0, MAX_TEXT * 8)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(TAGS, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, ent: string) => {
      if (ent[0] !== '#') return NAMED[ent.toLowerCase()] ?? whole
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10)
      return Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole
    })
}

/** A JSON body, or a plain Error saying why it is not one. */
export function parseJson(raw: Buffer | string, what: string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'))
  } catch {
    throw new Error(`YouTube ${what} is not JSON`)
  }
}
