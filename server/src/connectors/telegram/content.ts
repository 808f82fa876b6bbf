// What a Telegram message says, as one line of text: the text (entities only mark it up, the
// text itself is complete), else the media caption, else a short Indonesian description of the media
// so the admin sees that something came. Service messages (members joining, pins, topic changes…)
// are not citizen communication and read as null.
import { clip, field, str, type Json } from '../read.ts'

const NAME_IN_LABEL = 100

const coord = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(6).replace(/\.?0+$/, '') : null)

/** Media kinds in the order Telegram overlaps them (an animation also carries `document`, a venue also `location`). */
const MEDIA: [key: string, label: (m: Json) => string][] = [
  ['animation', () => '[GIF]'],
  ['photo', () => '[foto]'],
  ['video', () => '[video]'],
  ['video_note', () => '[pesan video]'],
  ['voice', () => '[pesan suara]'],
  ['audio', (m) => labelled('audio', str(field(m, 'audio', 'title')))],
  ['document', (m) => labelled('dokumen', str(field(m, 'document', 'file_name')))],
  ['sticker', (m) => withEmoji('stiker', field(m, 'sticker', 'emoji'))],
  ['venue', (m) => labelled('tempat', joined(', ', field(m, 'venue', 'title'), field(m, 'venue', 'address')))],
  [
    'location',
    (m) => {
      const lat = coord(field(m, 'location', 'latitude'))
      const lon = coord(field(m, 'location', 'longitude'))
      return lat && lon ? `[lokasi: ${lat}, ${lon}]` : '[lokasi]'
    },
  ],
  ['contact', (m) => labelled('kontak', joined(' ', field(m, 'contact', 'first_name'), field(m, 'contact', 'last_name'), field(m, 'contact', 'phone_number')))],
  ['poll', (m) => labelled('polling', str(field(m, 'poll', 'question')))],
  ['checklist', (m) => labelled('daftar periksa', str(field(m, 'checklist', 'title')))],
  ['dice', (m) => withEmoji('dadu', field(m, 'dice', 'emoji'))],
  ['story', () => '[cerita]'],
  ['paid_media', () => '[media berbayar]'],
  ['game', () => '[game]'],
  ['invoice', () => '[tagihan]'],
]

/** The strings among `parts`, non-empty ones only, joined. */
const joined = (sep: string, ...parts: unknown[]): string =>
  parts
    .map((p) => str(p))
    .filter(Boolean)
    .join(sep)

function labelled(label: string, detail: string | undefined): string {
  return detail ? `[${label}: ${clip(detail, NAME_IN_LABEL)}]` : `[${label}]`
}

function withEmoji(label: string, v: unknown): string {
  const emoji = str(v)
  return emoji ? `[${label} ${clip(emoji, 16)}]` : `[${label}]`
}

/** The message's text for the inbox, or null for a message with nothing a citizen wrote or sent. */
export function contentOf(m: Json): string | null {
  const text = str(m.text)
  if (text) return text
  const caption = str(m.caption)
  if (caption) return caption
  for (const [key, label] of MEDIA) if (m[key] !== undefined && m[key] !== null) return label(m)
  return null
}
