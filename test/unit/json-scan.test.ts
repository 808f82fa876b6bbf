// The byte scan the receivers and the delivery job use instead of JSON.parse must judge every body
// as JSON.parse would: the same texts valid, the same top-level kind, the same last top-level value.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH, scanJson } from '../../server/src/connectors/json-scan.ts'

const bytes = (s: string) => Buffer.from(s, 'utf8')

/** What JSON.parse makes of the bytes, in the scan's terms. */
function parsed(b: Buffer, key: string): { kind: string; value?: unknown } {
  let v: unknown
  try {
    v = JSON.parse(b.toString('utf8').replace(/^\ufeff/, ''))
  } catch {
    return { kind: 'invalid' }
  }
  const isObj = typeof v === 'object' && v !== null && !Array.isArray(v)
  return { kind: isObj ? 'object' : 'other', value: isObj ? (v as Record<string, unknown>)[key] : undefined }
}

/** Whole texts, and texts cut, spliced and bent at the byte level. */
const texts = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => bytes(JSON.stringify(v))),
  fc
    .tuple(
      fc.dictionary(fc.constantFrom('for_user_id', 'a', 'b', 'for_user_i', 'for_user_idx'), fc.jsonValue({ maxDepth: 3 })),
      fc.string(),
      fc.constantFrom('', ' ', '\n\t', '\ufeff'),
    )
    .map(([o, id, pad]) => bytes(`${pad}{${pad}"for_user_id":${JSON.stringify(id)},${JSON.stringify(o).slice(1)}${pad}`)),
  fc.tuple(fc.jsonValue({ maxDepth: 4 }), fc.nat(), fc.nat(255), fc.constantFrom('cut', 'set', 'insert')).map(([v, at, byte, how]) => {
    const b = bytes(JSON.stringify(v))
    const k = b.length ? at % b.length : 0
    if (how === 'cut') return b.subarray(0, k)
    if (how === 'set') return Buffer.concat([b.subarray(0, k), Buffer.from([byte]), b.subarray(k + 1)])
    return Buffer.concat([b.subarray(0, k), Buffer.from([byte]), b.subarray(k)])
  }),
  fc
    .constantFrom(
      '',
      ' ',
      '{',
      '}',
      '{}',
      '[]',
      '"',
      '"\\u12"',
      '"\\x"',
      '-',
      '-0',
      '01',
      '1.',
      '.5',
      '1e',
      '1e+',
      'tru',
      'nul',
      'true false',
      '{"a":1,}',
      '[1,]',
      '{"a" 1}',
      '{1:2}',
      '"a\u0001"',
      '"a\u001f"',
      '"a\u0020"',
      '[1}',
      '{"a":1]',
      '[{]}',
      '\ufeff{}',
      '{"for_user_id":"1","for_user_id":"2"}',
      '{"for_user_id":"1","for_user_id":2}',
      '{"for_user_id":{"for_user_id":"9"}}',
      '{"a":{"for_user_id":"9"}}',
      '{"for_user_id":"1"} x',
    )
    .map(bytes),
)

describe('scanJson', () => {
  it('agrees with JSON.parse on validity, top-level kind and the last top-level value of a key', () => {
    fc.assert(
      fc.property(texts, (b) => {
        const scan = scanJson(b, 'for_user_id')
        const want = parsed(b, 'for_user_id')
        expect(scan.kind).toBe(want.kind)
        if (scan.kind === 'object' && !scan.escaped) expect(scan.value).toBe(typeof want.value === 'string' ? want.value : undefined)
      }),
      { numRuns: 3000, seed: 8 },
    )
  })

  it('says when a name or the value is written with escapes, so only a parse can tell', () => {
    expect(scanJson(bytes('{"for_user_\\u0069d":"2","for_user_id":"1"}'), 'for_user_id')).toMatchObject({ kind: 'object', escaped: true })
    expect(scanJson(bytes('{"for_user_id":"\\u0031"}'), 'for_user_id')).toMatchObject({ kind: 'object', escaped: true, value: undefined })
    expect(scanJson(bytes('{"text":"a\\"b","for_user_id":"7"}'), 'for_user_id')).toEqual({ kind: 'object', escaped: false, value: '7' })
  })

  it('stops at nesting deeper than any platform payload, whatever follows', () => {
    expect(scanJson(bytes(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).kind).toBe('other')
    expect(scanJson(bytes(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).kind).toBe('deep')
    expect(scanJson(bytes(`{"for_user_id":"1","a":${'{"a":'.repeat(200_000)}`)).kind).toBe('deep')
  })
})
