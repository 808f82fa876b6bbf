// Defensive readers for TikTok payload fields: every value comes from outside and may have any
// type or size. Each reader returns undefined for a value it will not use.
import { LIMITS } from '@tanggap/shared'

export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export const field = (v: unknown, key: string): unknown => (isObj(v) ? v[key] : undefined)

/** Longest platform id we accept (TikTok ids are 19 digits; open ids are longer opaque strings). */
const MAX_ID = 128

/** An id as a string: printable, no spaces, at most 128 chars; a JSON number only if it is an exact integer. */
export function idOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 && v.length <= MAX_ID && /^[\x21-\x7e]+$/.test(v) ? v : undefined
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined
  return undefined
}

/** Cuts a string to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/** Citizen text as sent (never trimmed or re-encoded), cut to what we store. */
export const textOf = (v: unknown, max: number = LIMITS.questionText): string | undefined => (typeof v === 'string' ? clip(v, max) : undefined)

/** A display name: text without control characters, cut to the name limit; undefined when blank. */
export function nameOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  const name = clip(v.replace(/[\u0000-\u001f\u007f]/g, ' ').trim(), LIMITS.name)
  return name || undefined
}

const MIN_MS = Date.UTC(2000, 0, 1)
const MAX_MS = Date.UTC(2100, 0, 1)

/**
 * A platform time in epoch ms. TikTok mixes units (envelope create_time in seconds, content
 * timestamps in ms), so a value below 1e11 is read as seconds. Numeric strings are accepted.
 */
export function epochMs(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : NaN
  if (!Number.isFinite(n) || n <= 0) return undefined
  const ms = Math.round(n < 1e11 ? n * 1000 : n)
  return ms >= MIN_MS && ms < MAX_MS ? ms : undefined
}
