import { describe, expect, it } from 'vitest'
import { normalizeTrackingCode, TRACKING_CODE_RE } from '@tanggap/shared'
import { newTrackingCode, seal, unseal } from '../../server/src/lib/crypto.ts'

describe('sealed channel credentials', () => {
  const key = Buffer.alloc(32, 7)
  it('round-trips and hides the plaintext', () => {
    const sealed = seal(key, { appSecret: 'rahasia-meta' })
    expect(sealed).not.toContain('rahasia')
    expect(unseal(key, sealed)).toEqual({ appSecret: 'rahasia-meta' })
  })
  it('refuses a tampered value or the wrong key', () => {
    const sealed = seal(key, { token: 'x' })
    const parts = sealed.split('.')
    parts[3] = Buffer.from('tampered').toString('base64url')
    expect(() => unseal(key, parts.join('.'))).toThrow()
    expect(() => unseal(Buffer.alloc(32, 8), sealed)).toThrow()
  })
})

describe('tracking codes', () => {
  it('are readable aloud and accepted however they are typed', () => {
    for (let i = 0; i < 200; i++) expect(newTrackingCode()).toMatch(TRACKING_CODE_RE)
    expect(normalizeTrackingCode(' k7m2 q9px ')).toBe('K7M2-Q9PX')
    expect(normalizeTrackingCode('k7m2-q9px')).toBe('K7M2-Q9PX')
  })
})
