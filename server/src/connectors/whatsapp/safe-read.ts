// Reading untrusted webhook JSON without trusting its shape: every accessor checks the type and
// reads own properties only (a "type" of "constructor" must not find Object.prototype's).

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The own property `key` of `v`, or undefined when `v` is not an object or lacks it. */
export const field = (v: unknown, key: string): unknown => (isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined)

export const obj = (v: unknown, key: string): Json | undefined => {
  const f = field(v, key)
  return isObject(f) ? f : undefined
}

export const list = (v: unknown, key: string): unknown[] | undefined => {
  const f = field(v, key)
  return Array.isArray(f) ? f : undefined
}

/** A string no longer than `max`; anything else (numbers included: ids must never pass through a Number) is undefined. */
export const str = (v: unknown, key: string, max = 100_000): string | undefined => {
  const f = field(v, key)
  return typeof f === 'string' && f.length <= max ? f : undefined
}

/** A string with visible content, cut to `max` characters. */
export const text = (v: unknown, key: string, max: number): string | undefined => {
  const f = field(v, key)
  return typeof f === 'string' && f.trim() !== '' ? clip(f, max) : undefined
}

/** Cuts to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const cut = s.slice(0, max)
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

/** Meta's timestamps are strings of epoch seconds ("1749416383"); returns epoch milliseconds or undefined. */
export function epochSecondsToMs(v: unknown): number | undefined {
  const s = typeof v === 'string' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined
  if (s === undefined || !/^\d{9,11}$/.test(s)) return undefined
  return Number(s) * 1000
}
