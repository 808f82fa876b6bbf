// Hostile values for the fuzz test (fast-check arbitraries): strings that break naive text handling,
// values of the wrong type, numbers JSON cannot hold, deep nesting, prototype keys, bytes that are
// not UTF-8; a JSON writer that can emit all of them; and a mutator that bends real platform
// payloads (the fixtures) so they stay plausible enough to reach the normalizers and the jobs.
import fc from 'fast-check'

/** Written into the JSON text as is (numbers JSON.stringify cannot produce, deep nesting). */
export class Raw {
  constructor(readonly json: string) {}
}

/** A JSON string whose content is these bytes, valid UTF-8 or not. */
export class Bytes {
  constructor(readonly bytes: Buffer) {}
}

/** Characters that trip text handling: NUL and controls, lone surrogates, bidi controls, BOM, joiners, noncharacters, markup. */
export const EDGE_CHARS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ufdd0',
  '\u0301\u0301\u0301',
  '👨‍👩‍👧',
  '🇮🇩',
  '🙏🏽',
  '\r\n',
  '\t',
  '"',
  '\\',
  '<',
  '>',
  '&',
  "'",
  '%00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is one of the texts that trip naive handling
  '${x}',
  '{{x}}',
]

/** Invalid UTF-8: a truncated sequence, a stray continuation byte, an overlong slash, an encoded surrogate, bytes never valid. */
export const BAD_UTF8: Buffer[] = [[0xc3], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]].map((b) =>
  Buffer.from(b),
)

const WORDS = ['Min', 'jalan', 'rusak', 'KTP', 'kapan', 'diperbaiki?', 'Desa', 'Pesarean', 'tolong', '🙏', 'Slawi', 'kiye', 'bolong']

const numberLike = fc.constantFrom(
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '9007199254740993',
  ' 42 ',
  '1_000',
  '٣',
  '１２３',
  '12345678901234567890123',
  '-1',
  '0',
)
const markup = fc.constantFrom(
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'; DROP TABLE items; --",
  '../../etc/passwd',
  'javascript:alert(1)',
)
const protoWord = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__')

/** A string a careless client or an attacker might send. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...EDGE_CHARS)), { maxLength: 12 }).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: numberLike },
  { weight: 1, arbitrary: markup },
  { weight: 1, arbitrary: protoWord },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u3000', '\n\n\n', '\u200b\u200b') },
  // Longer than any limit: just over the form's 4,000 characters, and far over.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(4001, 65_536, 300_000), fc.constantFrom('a', 'é', '😡', '\u202e')).map(([n, c]) => c.repeat(n)) },
)

/** Nesting deeper than any parser or walker should have to follow (up to 200,000 levels). */
export const deepNesting: fc.Arbitrary<Raw> = fc
  .tuple(fc.constantFrom(64, 1_000, 10_000, 200_000), fc.boolean())
  .map(([depth, arrays]) => new Raw(arrays ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`))

/** An object with own keys that poison a careless merge (`obj[key] = value` on a plain object). */
export const protoObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(protoWord, fc.oneof(fc.constant({ isAdmin: true, polluted: 1 }), fc.constant({ prototype: { polluted: 1 } }), fc.constant(null), fc.constant('x')))
  .map(([key, value]) => withOwnKey({}, key, value))

/** A value of any type, including ones JSON.stringify would never write. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, -0.000001, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 63) },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0', '0.0000000000000000000001e-400').map((n) => new Raw(n)) },
  { weight: 1, arbitrary: numberLike.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [[]], { '': '' }) },
  { weight: 1, arbitrary: protoObject },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_UTF8).map((b) => new Bytes(Buffer.concat([Buffer.from('Min '), b, Buffer.from(' jalan')]))) },
)

/** Defines an own enumerable key, so `__proto__` stays a key instead of setting the prototype. */
export function withOwnKey<T extends object>(obj: T, key: string, value: unknown): T {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  return obj
}

/**
 * JSON text for a value that may hold Raw and Bytes. `ascii` escapes everything outside ASCII as
 * \uXXXX, as Meta writes its bodies. Recursion is bounded by the values built here (deep nesting
 * comes as Raw text).
 */
export function toJson(value: unknown, ascii = false): Buffer {
  const parts: Buffer[] = []
  let text = ''
  const flush = () => {
    if (text) parts.push(Buffer.from(text, 'utf8'))
    text = ''
  }
  const str = (s: string) => {
    const json = JSON.stringify(s)
    return ascii ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json
  }
  const write = (v: unknown): void => {
    if (v instanceof Raw) text += v.json
    else if (v instanceof Bytes) {
      text += '"'
      flush()
      parts.push(v.bytes)
      text += '"'
    } else if (Array.isArray(v)) {
      text += '['
      v.forEach((x, i) => {
        if (i) text += ','
        write(x)
      })
      text += ']'
    } else if (v !== null && typeof v === 'object') {
      text += '{'
      Object.keys(v).forEach((k, i) => {
        text += `${i ? ',' : ''}${str(k)}:`
        write((v as Record<string, unknown>)[k])
      })
      text += '}'
    } else if (typeof v === 'string') text += str(v)
    else text += JSON.stringify(v) ?? 'null'
  }
  write(value)
  flush()
  return Buffer.concat(parts)
}

// ---- mutating real payloads ----

/** A JSON string inside a payload (TikTok's `content`): mutated as a tree, written back as a string. */
class Embedded {
  constructor(public doc: unknown) {}
}

type Container = Record<string, unknown> | unknown[]
interface Slot {
  parent: Container
  key: string | number
}

export type MutationOp = 'replace' | 'delete' | 'protoKey' | 'typeSwap' | 'numberAsString' | 'freshId' | 'account' | 'repeat' | 'emptyContainer'

export interface Mutation {
  op: MutationOp
  /** Which slot of the tree (taken modulo the number of slots). */
  at: number
  value: unknown
  seed: number
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<MutationOp>(
    'replace',
    'replace',
    'delete',
    'protoKey',
    'typeSwap',
    'numberAsString',
    'freshId',
    'freshId',
    'account',
    'repeat',
    'emptyContainer',
  ),
  at: fc.nat(),
  value: hostileValue,
  seed: fc.nat(),
})

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object' && !(v instanceof Raw) && !(v instanceof Bytes)

function unwrapEmbedded(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      return new Embedded(unwrapEmbedded(JSON.parse(v)))
    } catch {
      return v
    }
  }
  if (Array.isArray(v)) return v.map(unwrapEmbedded)
  if (isContainer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapEmbedded(x)]))
  return v
}

/** Every place a value sits in the tree, depth first. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = []
  const walk = (v: unknown) => {
    const node = v instanceof Embedded ? v.doc : v
    if (!isContainer(node)) return
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      out.push({ parent: node, key })
      walk((node as Record<string | number, unknown>)[key])
    }
  }
  walk(root)
  return out
}

/** Digits changed, everything else kept: a new id of the same shape, so the payload is new work and not a duplicate. */
const freshDigits = (s: string, seed: number) => s.replace(/\d/g, (d, i: number) => String((Number(d) + mix(seed, i)) % 10))

/** A well-spread number from a seed and a position (murmur3's finalizer). */
function mix(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

function apply(root: unknown, m: Mutation, accounts: readonly string[]): void {
  const all = slots(root)
  if (!all.length) return
  const { parent, key } = all[m.at % all.length]!
  const get = () => (parent as Record<string | number, unknown>)[key]
  const set = (v: unknown): void => {
    ;(parent as Record<string | number, unknown>)[key] = v
  }
  const current = get()
  switch (m.op) {
    case 'replace':
      set(m.value)
      return
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key as string]
      return
    case 'protoKey': {
      const target = isContainer(current) && !Array.isArray(current) ? current : (parent as Record<string, unknown>)
      if (Array.isArray(target)) {
        set(withOwnKey({}, '__proto__', m.value))
        return
      }
      withOwnKey(target, ['__proto__', 'constructor', 'prototype'][m.seed % 3]!, m.value)
      return
    }
    case 'typeSwap':
      if (typeof current === 'string') {
        set([current])
        return
      }
      if (Array.isArray(current)) {
        set(Object.fromEntries(current.map((x, i) => [String(i), x])))
        return
      }
      if (isContainer(current)) {
        set(JSON.stringify(current))
        return
      }
      set(current === null ? {} : String(current))
      return
    case 'numberAsString':
      if (typeof current === 'number') {
        set(String(current))
        return
      }
      if (typeof current === 'string' && /^-?\d+$/.test(current)) {
        set(new Raw(current))
        return
      }
      set(String(m.seed))
      return
    case 'freshId':
      if (typeof current === 'string') {
        set(freshDigits(current, m.seed))
        return
      }
      if (typeof current === 'number') {
        set(Number.isSafeInteger(current) ? Number(freshDigits(String(current), m.seed)) : current)
        return
      }
      return
    case 'account':
      set(accounts[m.seed % accounts.length] ?? String(m.seed))
      return
    case 'repeat':
      if (Array.isArray(current) && current.length) {
        set(Array.from({ length: 2 + (m.seed % 200) }, (_, i) => current[i % current.length]))
        return
      }
      set(Array.from({ length: 2 + (m.seed % 50) }, () => current))
      return
    case 'emptyContainer':
      set(Array.isArray(current) ? [] : {})
      return
  }
}

function rewrap(v: unknown): unknown {
  if (v instanceof Embedded) {
    const inner = rewrap(v.doc)
    return toJson(inner).toString('utf8')
  }
  if (Array.isArray(v)) return v.map(rewrap)
  if (isContainer(v)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v)) withOwnKey(out, k, rewrap((v as Record<string, unknown>)[k]))
    return out
  }
  return v
}

/** Keys whose numbers are times, not ids: renumbering them would only move the message in time. */
const TIME_KEY = /(^|_)(date|time|timestamp)$|_at$|^create/i
const ID_LIKE = /^[\w.:=+/-]*\d{3,}[\w.:=+/-]*$/

/**
 * Gives every id in the tree new digits (the same id the same new digits, so a reply still names its
 * parent), leaving the accounts and the times alone: the payload becomes a new message rather than a
 * duplicate of the fixture's.
 */
function renumber(root: unknown, seed: number, accounts: readonly string[]): void {
  for (const { parent, key } of slots(root)) {
    if (typeof key === 'string' && TIME_KEY.test(key)) continue
    const p = parent as Record<string | number, unknown>
    const v = p[key]
    if (typeof v === 'string' && ID_LIKE.test(v) && !accounts.includes(v)) p[key] = freshDigits(v, seed)
    else if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1000 && !accounts.includes(String(v))) p[key] = Number(freshDigits(String(v), seed))
  }
}

/**
 * A copy of the document with new ids (when `seed` is given) and the mutations applied in order;
 * JSON strings inside it (TikTok's `content`) are mutated as trees.
 */
export function mutate(doc: unknown, mutations: readonly Mutation[], accounts: readonly string[] = [], seed?: number): unknown {
  const root = unwrapEmbedded(structuredClone(doc))
  if (seed !== undefined) renumber(root, seed, accounts)
  for (const m of mutations) apply(root, m, accounts)
  return rewrap(root)
}

// ---- bodies ----

export type Framing = 'plain' | 'ascii' | 'bom' | 'truncated' | 'trailing' | 'utf16' | 'latin1' | 'doubled'

export const framingArb = (weights: Partial<Record<Framing, number>> = {}): fc.Arbitrary<{ framing: Framing; cut: number }> =>
  fc.record({
    framing: fc.oneof(
      ...(['plain', 'ascii', 'bom', 'truncated', 'trailing', 'utf16', 'latin1', 'doubled'] as const).map((f) => ({
        weight: weights[f] ?? (f === 'plain' ? 6 : f === 'ascii' ? 3 : 1),
        arbitrary: fc.constant(f),
      })),
    ),
    cut: fc.nat(),
  })

/** The body bytes of a document, framed as a careless client might send them. */
export function frame(doc: unknown, { framing, cut }: { framing: Framing; cut: number }): Buffer {
  const body = toJson(doc, framing === 'ascii')
  switch (framing) {
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])
    case 'truncated':
      return body.subarray(0, body.length ? cut % body.length : 0)
    case 'trailing':
      return Buffer.concat([body, Buffer.from(['}', ',', '\u0000', ' garbage', '\n{"a":1}'][cut % 5]!, 'utf8')])
    case 'utf16':
      return Buffer.from(body.toString('utf8'), 'utf16le')
    case 'latin1':
      return Buffer.from(body.toString('utf8'), 'latin1')
    case 'doubled':
      return Buffer.concat([body, body])
    default:
      return body
  }
}
