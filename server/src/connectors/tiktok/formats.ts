// TikTok's own field rules, on top of the shared readers (../read.ts).
import { isOpaqueId, name, numericId } from '../read.ts'

/** Longest platform id we accept (TikTok ids are 19 digits; open ids are longer opaque strings). */
const MAX_ID = 128

/** An id as a string: printable, no spaces, at most 128 chars; a JSON number only if it is an exact integer. */
export const idOf = (v: unknown): string | undefined => (isOpaqueId(v, MAX_ID) ? v : numericId(v))

/** A display name with control characters made spaces, trimmed and cut to the name limit; undefined when blank. */
export const nameOf = (v: unknown): string | undefined => (typeof v === 'string' ? name(v.replace(/[\u0000-\u001f\u007f]/g, ' ')) : undefined)
