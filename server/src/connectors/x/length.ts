// How long X thinks a post is (twitter-text v3, roughly): most Latin, Indonesian and Javanese
// letters count 1, CJK and other scripts 2, an emoji (even a joined family) 2, any link 23.
// The limit is 280 of these; X refuses longer posts, so we refuse them before calling.

export const TWEET_MAX = 280
export const DM_MAX = 10_000

// Code point ranges weighted 1 in twitter-text's v3 configuration; everything else weighs 2.
const LIGHT: [number, number][] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
]
const URL = /https?:\/\/[^\s]+/giu
const URL_WEIGHT = 23
const EMOJI = /\p{Extended_Pictographic}/u

const weightOf = (cp: number) => (LIGHT.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2)
const segmenter = new Intl.Segmenter('id', { granularity: 'grapheme' })

export function tweetLength(text: string): number {
  const normalized = text.normalize('NFC')
  let length = 0
  const withoutUrls = normalized.replace(URL, () => {
    length += URL_WEIGHT
    return ''
  })
  for (const { segment } of segmenter.segment(withoutUrls)) {
    if (EMOJI.test(segment)) length += 2
    else for (const ch of segment) length += weightOf(ch.codePointAt(0)!)
  }
  return length
}

/** DMs are counted in characters (code points). */
export const dmLength = (text: string): number => [...text].length
