// Reading Meta webhook bodies (Facebook Pages, Messenger, Instagram) as hostile input: ids stay
// strings even when a body writes them as huge JSON numbers, every field is type-checked before use,
// and texts are clipped to what we store. Nothing here throws except parseMetaBody, with a plain Error.

/** What we keep of a citizen's text (the inbox shows at most this). */
export const MAX_TEXT = 4000
/** What we keep of an author's name (LIMITS.name). */
export const MAX_NAME = 120
/** Longer than any Meta id (Instagram message ids run to ~200 characters). */
const MAX_ID = 512

export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined)
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * A platform id as a string. Meta sends ids as strings today; old payloads (and the restfb fixtures)
 * still write them as numbers, which parseMetaBody has already turned into strings when too big to be exact.
 */
export function id(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 && v.length <= MAX_ID && !/[\u0000-\u001f]/.test(v) ? v : undefined
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v)
  return undefined
}

/** Cuts to `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

export const text = (v: unknown): string | undefined => (typeof v === 'string' ? clip(v, MAX_TEXT) : undefined)
export const name = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? clip(v.trim(), MAX_NAME) : undefined)

// Times before Facebook existed or after 2100 are not a platform's clock: treat them as absent.
const MIN_MS = Date.UTC(2004, 0, 1)
const MAX_MS = Date.UTC(2100, 0, 1)

/**
 * Epoch milliseconds from a Meta time. Feed `created_time` and Graph `entry.time` are seconds, Messenger
 * `timestamp` and messaging `entry.time` milliseconds: below 1e11 a number can only be seconds (1e11 s is
 * the year 5138, 1e11 ms is 1973). Numeric strings and ISO dates are accepted too.
 */
export function epochMs(v: unknown): number | undefined {
  let n: number | undefined
  if (typeof v === 'number') n = v
  else if (typeof v === 'string' && v.length <= 40) n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v)
  if (n === undefined || !Number.isFinite(n)) return undefined
  const ms = Math.round(n < 1e11 ? n * 1000 : n)
  return ms >= MIN_MS && ms <= MAX_MS ? ms : undefined
}

/**
 * JSON.parse, except that integers too large for a double (ids written as numbers) come back as
 * strings with every digit. Node 20's JSON.parse cannot give a reviver the source text, so unsafe
 * integer literals are quoted first by a scan that skips string contents.
 */
export function parseJsonKeepingIds(raw: string): unknown {
  if (!/\d{16}/.test(raw)) return JSON.parse(raw)
  let out = ''
  let from = 0
  let i = 0
  const n = raw.length
  while (i < n) {
    const c = raw.charCodeAt(i)
    if (c === 0x22) {
      // Skip a string literal, escapes included.
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

/** The body of a Meta delivery as an object of the expected `object` kind, or a plain Error saying why not. */
export function parseMetaBody(rawBody: Buffer, object: string): { entries: Obj[] } {
  let body: unknown
  try {
    body = parseJsonKeepingIds(rawBody.toString('utf8'))
  } catch {
    throw new Error('Meta delivery is not valid JSON')
  }
  if (!isObj(body)) throw new Error('Meta delivery is not a JSON object')
  if (body.object !== object) {
    const given = typeof body.object === 'string' ? `"${body.object.slice(0, 40)}"` : `a ${body.object === null ? 'null' : typeof body.object}`
    throw new Error(`Meta delivery is for object ${given}, expected "${object}"`)
  }
  if (!Array.isArray(body.entry)) throw new Error('Meta delivery has no entry list')
  return { entries: body.entry.filter(isObj) }
}

/** The entry's changes; Instagram's documented examples also put one `field`/`value` on the entry itself. */
export function changesOf(entry: Obj): { field: string; value: Obj }[] {
  const list = Array.isArray(entry.changes) ? entry.changes : [entry]
  const out: { field: string; value: Obj }[] = []
  for (const c of list) {
    const change = obj(c)
    const field = str(change?.field)
    const value = obj(change?.value)
    if (field && value) out.push({ field, value })
  }
  return out
}
