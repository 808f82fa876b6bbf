// Unicode bidirectional controls in text a citizen or a platform supplied can make an admin read
// something else than was sent: a name "\u202Egnp.exe" shows as "exe.png", "\u202Ebayar 1000" as
// "0001 rayab". For display each control becomes a visible marker such as ⟦U+202E⟧, so an admin
// reviewing abuse sees that the text carried one and where; stripping them would hide the attempt.
// Only what is shown changes: the database and the API keep the text verbatim.

/**
 * Embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI) and the implicit marks
 * (LRM RLM ALM): a mark cannot override, but it sets the direction of an auto-direction element and
 * of the punctuation beside it, and is invisible, so it is shown too.
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** The text with every bidi control replaced by a visible marker ⟦U+XXXX⟧; everything else is kept as is. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROL, (c) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`)
}
