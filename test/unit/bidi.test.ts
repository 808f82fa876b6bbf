// What an admin reads of citizen text (web/src/bidi.ts): bidi controls become visible ⟦U+XXXX⟧
// markers, nothing else changes, and showing it twice changes nothing more.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { showBidiControls } from '../../web/src/bidi.ts'

/** Embeddings and overrides, isolates, and the implicit marks (LRM, RLM, ALM). */
const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']
const isControl = (c: string) => CONTROLS.includes(c)

// Text that mixes controls with Latin, Arabic, Hebrew, digits, punctuation, marker look-alikes and any other code point.
const piece = fc.oneof(
  fc.constantFrom(...CONTROLS),
  fc.constantFrom('a', 'Z', '1', '0', ' ', '.', '(', ')', '\u0628', '\u05D0', '⟦', '⟧', 'U', '+', '\n', '\u200B', '\u200D', '😀'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
)
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''))
const clean = text.map((s) => [...s].filter((c) => !isControl(c)).join(''))

describe('showBidiControls', () => {
  it('leaves no bidi control in what is shown', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect([...showBidiControls(s)].filter(isControl)).toEqual([])
      }),
    )
  })

  it('shows each control as a marker naming its code point', () => {
    expect(CONTROLS.map(showBidiControls)).toEqual([
      '⟦U+202A⟧',
      '⟦U+202B⟧',
      '⟦U+202C⟧',
      '⟦U+202D⟧',
      '⟦U+202E⟧',
      '⟦U+2066⟧',
      '⟦U+2067⟧',
      '⟦U+2068⟧',
      '⟦U+2069⟧',
      '⟦U+200E⟧',
      '⟦U+200F⟧',
      '⟦U+061C⟧',
    ])
    expect(showBidiControls('\u202Egnp.exe')).toBe('⟦U+202E⟧gnp.exe')
    expect(showBidiControls('Budi\u2067 pada 10:00')).toBe('Budi⟦U+2067⟧ pada 10:00')
  })

  it('keeps text without controls exactly as it is (Arabic, Hebrew, emoji, zero-width joiners, lone surrogates)', () => {
    fc.assert(
      fc.property(clean, (s) => {
        expect(showBidiControls(s)).toBe(s)
      }),
    )
  })

  it('works character by character: every other character stays, in its place', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(showBidiControls(a + b)).toBe(showBidiControls(a) + showBidiControls(b))
      }),
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(text, (s) => {
        const once = showBidiControls(s)
        expect(showBidiControls(once)).toBe(once)
      }),
    )
  })
})
