// A JSON text checked over its bytes without building it. JSON.parse of a hostile body costs far
// more memory than the body: four megabytes of "[[[[…" become millions of nested arrays, over a
// hundred megabytes at once. A scan costs nothing but time: the receivers use it to refuse such
// bodies (and to read one top-level field) without parsing them, and the delivery job to fail them
// before its normalizer parses them.

/** Deeper than any platform nests its payloads (about ten levels), far shallower than a hostile body. */
export const MAX_JSON_DEPTH = 64

export interface JsonScan {
  /**
   * 'object' or 'other': a valid JSON text (as JSON.parse reads the bytes decoded as UTF-8, a
   * leading byte-order mark skipped) whose top-level value is, or is not, an object; 'invalid': not
   * JSON; 'deep': nested deeper than MAX_JSON_DEPTH (nothing is said about the rest).
   */
  kind: 'object' | 'other' | 'invalid' | 'deep'
  /**
   * With `key`: the last top-level member of that name (JSON.parse keeps the last), when its value
   * is a string written without escapes; undefined when there is none or it is not such a string.
   */
  value?: string
  /** With `key`: a top-level name or that value is written with escapes, so only a parse can tell. */
  escaped?: boolean
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

// Each reader takes the index where its token starts and gives the index after it, or -1 when the
// token is malformed. They keep no state of their own, so V8 compiles them into tight loops.

const isDigit = (c: number) => c >= 0x30 && c <= 0x39
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

function skipSpace(b: Uint8Array, i: number): number {
  for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  return i
}

function endOfString(b: Uint8Array, i: number): number {
  const n = b.length
  for (i++; i < n; ) {
    const c = b[i]!
    if (c === QUOTE) return i + 1
    if (c < 0x20) return -1
    if (c !== BACKSLASH) i++
    else {
      const e = b[i + 1]
      if (e === 0x75) {
        if (!(isHex(b[i + 2] ?? -1) && isHex(b[i + 3] ?? -1) && isHex(b[i + 4] ?? -1) && isHex(b[i + 5] ?? -1))) return -1
        i += 6
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2
      else return -1
    }
  }
  return -1
}

function endOfDigits(b: Uint8Array, i: number): number {
  if (!isDigit(b[i] ?? -1)) return -1
  while (isDigit(b[i] ?? -1)) i++
  return i
}

function endOfNumber(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d) i++
  i = b[i] === 0x30 ? i + 1 : endOfDigits(b, i)
  if (i > 0 && b[i] === 0x2e) i = endOfDigits(b, i + 1)
  if (i > 0 && (b[i] === 0x65 || b[i] === 0x45)) i = endOfDigits(b, b[i + 1] === 0x2b || b[i + 1] === 0x2d ? i + 2 : i + 1)
  return i
}

const LITERALS = ['true', 'false', 'null'].map((w) => Buffer.from(w))

function endOfLiteral(b: Uint8Array, i: number): number {
  for (const word of LITERALS) if (word[0] === b[i] && word.every((c, k) => b[i + k] === c)) return i + word.length
  return -1
}

/** Whether the bytes from..to (a string's content, quotes excluded) contain a backslash. */
function hasEscape(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] === BACKSLASH) return true
  return false
}

/** Whether the bytes from..to spell `word`. */
function spells(b: Uint8Array, from: number, to: number, word: Uint8Array): boolean {
  if (to - from !== word.length) return false
  for (let k = 0; k < word.length; k++) if (b[from + k] !== word[k]) return false
  return true
}

/** Scans `bytes` as one JSON text; with `key`, also finds that top-level member's string value. */
export function scanJson(bytes: Uint8Array, key?: string): JsonScan {
  const b = bytes
  const n = b.length
  const wanted = key === undefined ? undefined : Buffer.from(key, 'utf8')
  // Whether each open container is an object; the top level's members are where `key` is looked for.
  const inObject = new Uint8Array(MAX_JSON_DEPTH)
  let depth = 0
  let value: string | undefined
  let escaped = false
  /** Set while the value of a top-level member named `key` is due. */
  let keyed = false
  /** A member's name comes before the next value. */
  let named = false
  // A leading byte-order mark is skipped, as parseObject (read.ts) skips it.
  let i = skipSpace(b, b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0)
  const top = b[i]
  for (;;) {
    if (named) {
      named = false
      if (b[i] !== QUOTE) return { kind: 'invalid' }
      const end = endOfString(b, i)
      if (end < 0) return { kind: 'invalid' }
      if (wanted && depth === 1) {
        if (hasEscape(b, i + 1, end - 1)) escaped = true
        keyed = spells(b, i + 1, end - 1, wanted)
      }
      i = skipSpace(b, end)
      if (b[i] !== 0x3a) return { kind: 'invalid' }
      i = skipSpace(b, i + 1)
    }
    // A value starts at i.
    const c = b[i]
    const start = i
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === MAX_JSON_DEPTH) return { kind: 'deep' }
      if (keyed) [keyed, value] = [false, undefined]
      i = skipSpace(b, i + 1)
      if (b[i] === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) i++
      else {
        inObject[depth++] = c === OPEN_OBJECT ? 1 : 0
        named = c === OPEN_OBJECT
        continue
      }
    } else {
      i = c === QUOTE ? endOfString(b, i) : c === 0x2d || isDigit(c ?? -1) ? endOfNumber(b, i) : endOfLiteral(b, i)
      if (i < 0) return { kind: 'invalid' }
      if (keyed) {
        keyed = false
        const quoted = c === QUOTE && hasEscape(b, start + 1, i - 1)
        if (quoted) escaped = true
        value = c === QUOTE && !quoted ? Buffer.from(b.buffer, b.byteOffset + start + 1, i - start - 2).toString('utf8') : undefined
      }
    }
    // After a value: the next member or element, or the ends of containers.
    for (;;) {
      i = skipSpace(b, i)
      if (!depth) {
        if (i !== n) return { kind: 'invalid' }
        return { kind: top === OPEN_OBJECT ? 'object' : 'other', ...(wanted ? { value, escaped } : {}) }
      }
      const object = inObject[depth - 1] === 1
      if (b[i] === 0x2c) {
        i = skipSpace(b, i + 1)
        named = object
        break
      }
      if (b[i] !== (object ? CLOSE_OBJECT : CLOSE_ARRAY)) return { kind: 'invalid' }
      i++
      depth--
    }
  }
}
