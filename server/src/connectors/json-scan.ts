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
   * leading byte-order mark skipped) whose top-level value is, or is not, an object; 'invalid': not JSON; 'deep': nested deeper than
   * MAX_JSON_DEPTH (nothing is said about the rest).
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

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
const isDigit = (c: number) => c >= 0x30 && c <= 0x39
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
/** The characters JSON allows after a backslash: " \ / b f n r t (u is handled apart). */
const ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74])

/** Scans `bytes` as one JSON text; with `key`, also finds that top-level member's string value. */
export function scanJson(bytes: Uint8Array, key?: string): JsonScan {
  const n = bytes.length
  const at = (i: number): number => (i < n ? bytes[i]! : -1)
  const wanted = key === undefined ? undefined : Buffer.from(key, 'utf8')
  // A leading byte-order mark is skipped, as parseObject (read.ts) skips it.
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  let escapedSeen = false
  const skipSpace = () => {
    while (i < n && isSpace(bytes[i]!)) i++
  }
  /** Past a string starting at i (a quote); false when it is malformed. */
  const string = (): boolean => {
    i++
    while (i < n) {
      const c = bytes[i]!
      if (c === QUOTE) {
        i++
        return true
      }
      if (c < 0x20) return false
      if (c !== BACKSLASH) i++
      else if (at(i + 1) === 0x75) {
        if (!(isHex(at(i + 2)) && isHex(at(i + 3)) && isHex(at(i + 4)) && isHex(at(i + 5)))) return false
        escapedSeen = true
        i += 6
      } else if (ESCAPES.has(at(i + 1))) {
        escapedSeen = true
        i += 2
      } else return false
    }
    return false
  }
  const digits = (): boolean => {
    if (!isDigit(at(i))) return false
    while (isDigit(at(i))) i++
    return true
  }
  const number = (): boolean => {
    if (at(i) === 0x2d) i++
    if (at(i) === 0x30) i++
    else if (!digits()) return false
    if (at(i) === 0x2e) {
      i++
      if (!digits()) return false
    }
    if (at(i) === 0x65 || at(i) === 0x45) {
      i++
      if (at(i) === 0x2b || at(i) === 0x2d) i++
      if (!digits()) return false
    }
    return true
  }
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++) if (at(i + k) !== word.charCodeAt(k)) return false
    i += word.length
    return true
  }

  // One entry per open container: true for an object. The top level's members are where `key` is looked for.
  const open: boolean[] = []
  let value: string | undefined
  let escaped = false
  /** Set while reading the value of a top-level member named `key`. */
  let keyed = false
  skipSpace()
  const top = at(i)
  for (;;) {
    // A value.
    const c = at(i)
    const start = i
    escapedSeen = false
    if (c === 0x7b || c === 0x5b) {
      if (open.length === MAX_JSON_DEPTH) return { kind: 'deep' }
      if (keyed) [keyed, value] = [false, undefined]
      i++
      skipSpace()
      if (at(i) === (c === 0x7b ? 0x7d : 0x5d)) i++
      else {
        open.push(c === 0x7b)
        if (c === 0x5b) continue
        if (!member()) return { kind: 'invalid' }
        continue
      }
    } else if (c === QUOTE) {
      if (!string()) return { kind: 'invalid' }
    } else if (c === 0x2d || isDigit(c)) {
      if (!number()) return { kind: 'invalid' }
    } else if (!(literal('true') || literal('false') || literal('null'))) return { kind: 'invalid' }
    if (keyed) {
      keyed = false
      value = c === QUOTE && !escapedSeen ? Buffer.from(bytes.buffer, bytes.byteOffset + start + 1, i - start - 2).toString('utf8') : undefined
      if (c === QUOTE && escapedSeen) escaped = true
    }
    // After a value: the next member or element, or the ends of containers.
    for (;;) {
      skipSpace()
      if (!open.length) {
        if (i !== n) return { kind: 'invalid' }
        return { kind: top === 0x7b ? 'object' : 'other', ...(wanted ? { value, escaped } : {}) }
      }
      const inObject = open[open.length - 1]!
      const d = at(i)
      if (d === 0x2c) {
        i++
        skipSpace()
        if (inObject && !member()) return { kind: 'invalid' }
        break
      }
      if (d !== (inObject ? 0x7d : 0x5d)) return { kind: 'invalid' }
      i++
      open.pop()
    }
  }

  /** A member's name and colon, i at its opening quote; notes whether it names `key` at the top level. */
  function member(): boolean {
    if (at(i) !== QUOTE) return false
    const start = i
    escapedSeen = false
    if (!string()) return false
    if (wanted && open.length === 1) {
      if (escapedSeen) escaped = true
      keyed = i - start - 2 === wanted.length && Buffer.compare(wanted, Buffer.from(bytes.buffer, bytes.byteOffset + start + 1, wanted.length)) === 0
    }
    skipSpace()
    if (at(i) !== 0x3a) return false
    i++
    skipSpace()
    return true
  }
}
