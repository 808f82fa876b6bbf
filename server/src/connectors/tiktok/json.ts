// TikTok ids are 19-digit numbers and some payloads send them as bare JSON numbers (the webhook's
// `content`, reply responses): JSON.parse would round 7247303576418566913 to 7247303576418567000.
// Node 20 has no JSON.parse source access, so integer literals too long for a double are quoted
// before parsing and arrive as their exact digits.
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39
const isDigit = (c: number) => c >= DIGIT_0 && c <= DIGIT_9

/** Longest integer literal that is always exact as a double (15 digits < 2^53). */
const SAFE_DIGITS = 15

function quoteLongIntegers(text: string): string {
  let out = ''
  let copied = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // Skip a string literal (digits inside it are text, not numbers).
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i += 2
        else {
          i++
          if (d === 0x22) break
        }
      }
      continue
    }
    if (c === 0x2d || isDigit(c)) {
      const start = i
      if (c === 0x2d) i++
      const digitsStart = i
      while (i < n && isDigit(text.charCodeAt(i))) i++
      const intEnd = i
      const next = text[i]
      if (next === '.' || next === 'e' || next === 'E') {
        // A fraction or exponent: not an id, leave it to JSON.parse.
        i++
        while (i < n && /[0-9eE+-]/.test(text[i]!)) i++
        continue
      }
      if (intEnd - digitsStart > SAFE_DIGITS) {
        out += `${text.slice(copied, start)}"${text.slice(start, intEnd)}"`
        copied = intEnd
      }
      continue
    }
    i++
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** JSON.parse that keeps integers longer than 15 digits exact, as strings. Throws SyntaxError on bad JSON. */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text))
}
