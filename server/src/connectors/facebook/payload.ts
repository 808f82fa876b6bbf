// Meta's own formats (Facebook Pages, Messenger, Instagram webhooks), on top of the shared readers
// (../read.ts): ids stay strings even when a body writes them as huge JSON numbers. Nothing here
// throws except parseMetaBody, with a plain Error.
import { epochMs, isObject, numericId, obj, parseObject, str, type Json } from '../read.ts'

/** Longer than any Meta id (Instagram message ids run to ~200 characters). */
const MAX_ID = 512

/**
 * A platform id as a string. Meta sends ids as strings today; old payloads (and the restfb fixtures)
 * still write them as numbers, which parseMetaBody has already turned into strings when too big to be exact.
 */
export function id(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 && v.length <= MAX_ID && !/[\u0000-\u001f]/.test(v) ? v : undefined
  return numericId(v)
}

// Times before Facebook existed are not a platform's clock; the bound after includes 2100-01-01 itself.
const FACEBOOK_LAUNCH = Date.UTC(2004, 0, 1)
const AFTER_2100 = Date.UTC(2100, 0, 1) + 1

/**
 * Epoch milliseconds from a Meta time (see epochMs): feed `created_time` and Graph `entry.time` are
 * seconds, Messenger `timestamp` and messaging `entry.time` milliseconds. Decimal and ISO date
 * strings are accepted too.
 */
export function metaTime(v: unknown): number | undefined {
  const n = typeof v !== 'string' ? v : v.length > 40 ? undefined : /^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v)
  return epochMs(n, FACEBOOK_LAUNCH, AFTER_2100)
}

/** The body of a Meta delivery as an object of the expected `object` kind, or a plain Error saying why not. */
export function parseMetaBody(rawBody: Buffer, object: string): { entries: Json[] } {
  const body = parseObject(rawBody.toString('utf8'), 'Meta delivery')
  if (body.object !== object) {
    const given = typeof body.object === 'string' ? `"${body.object.slice(0, 40)}"` : `a ${body.object === null ? 'null' : typeof body.object}`
    throw new Error(`Meta delivery is for object ${given}, expected "${object}"`)
  }
  if (!Array.isArray(body.entry)) throw new Error('Meta delivery has no entry list')
  return { entries: body.entry.filter(isObject) }
}

/** The entry's changes; Instagram's documented examples also put one `field`/`value` on the entry itself. */
export function changesOf(entry: Json): { field: string; value: Json }[] {
  const list = Array.isArray(entry.changes) ? entry.changes : [entry]
  const out: { field: string; value: Json }[] = []
  for (const c of list) {
    const change = obj(c)
    const field = str(change?.field)
    const value = obj(change?.value)
    if (field && value) out.push({ field, value })
  }
  return out
}
