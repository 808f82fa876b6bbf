// Defensive readers for Telegram JSON: every field of an update is checked before use, and a value
// of the wrong type reads as absent (or throws a plain Error where the message cannot be read without it).

export type Obj = Record<string, unknown>

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** Telegram ids have at most 52 significant bits, so a JSON number holds them exactly; anything else is not an id. */
export const optId = (v: unknown): string | null => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null)

export function id(v: unknown, what: string): string {
  const s = optId(v)
  if (s === null) throw new Error(`telegram update: ${what} is not an integer id`)
  return s
}

// Unix seconds between 1970 and year 5138: anything else is not a Telegram date.
const MAX_SECONDS = 1e11

/** A Telegram date (Unix seconds) in epoch milliseconds, or null. */
export const optSeconds = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v < MAX_SECONDS ? v * 1000 : null

/** Cuts to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}
