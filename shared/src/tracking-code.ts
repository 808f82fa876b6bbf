// Tracking codes citizens read aloud and type on a phone: no 0/O, 1/I/L, grouped in fours.
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const TRACKING_CODE_RE = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/

/** Uppercases and restores the dash, so "abcd efgh" and "ABCDEFGH" find the same question. */
export function normalizeTrackingCode(input: string): string {
  const raw = input.toUpperCase().replace(/[^0-9A-Z]/g, '')
  return raw.length === 8 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : input.toUpperCase()
}
