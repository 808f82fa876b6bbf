// What a Telegram message says, as one line of text: the text (entities only mark it up, the
// text itself is complete), else the media caption, else a short Indonesian description of the media
// so the admin sees that something came. Service messages (members joining, pins, topic changes…)
// are not citizen communication and read as null.
import { clip, isObj, str, type Obj } from './read.ts'

const NAME_IN_LABEL = 100

const coord = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(6).replace(/\.?0+$/, '') : null)

/** Media kinds in the order Telegram overlaps them (an animation also carries `document`, a venue also `location`). */
const MEDIA: [field: string, label: (m: Obj) => string][] = [
  ['animation', () => '[GIF]'],
  ['photo', () => '[foto]'],
  ['video', () => '[video]'],
  ['video_note', () => '[pesan video]'],
  ['voice', () => '[pesan suara]'],
  ['audio', (m) => labelled('audio', isObj(m.audio) ? str(m.audio.title) : '')],
  ['document', (m) => labelled('dokumen', isObj(m.document) ? str(m.document.file_name) : '')],
  ['sticker', (m) => (isObj(m.sticker) && str(m.sticker.emoji) ? `[stiker ${clip(str(m.sticker.emoji), 16)}]` : '[stiker]')],
  ['venue', (m) => labelled('tempat', isObj(m.venue) ? [str(m.venue.title), str(m.venue.address)].filter(Boolean).join(', ') : '')],
  ['location', (m) => {
    const lat = isObj(m.location) ? coord(m.location.latitude) : null
    const lon = isObj(m.location) ? coord(m.location.longitude) : null
    return lat && lon ? `[lokasi: ${lat}, ${lon}]` : '[lokasi]'
  }],
  ['contact', (m) => labelled('kontak', isObj(m.contact) ? [str(m.contact.first_name), str(m.contact.last_name), str(m.contact.phone_number)].filter(Boolean).join(' ') : '')],
  ['poll', (m) => labelled('polling', isObj(m.poll) ? str(m.poll.question) : '')],
  ['checklist', (m) => labelled('daftar periksa', isObj(m.checklist) ? str(m.checklist.title) : '')],
  ['dice', (m) => (isObj(m.dice) && str(m.dice.emoji) ? `[dadu ${clip(str(m.dice.emoji), 16)}]` : '[dadu]')],
  ['story', () => '[cerita]'],
  ['paid_media', () => '[media berbayar]'],
  ['game', () => '[game]'],
  ['invoice', () => '[tagihan]'],
]

function labelled(label: string, detail: string): string {
  return detail ? `[${label}: ${clip(detail, NAME_IN_LABEL)}]` : `[${label}]`
}

/** The message's text for the inbox, or null for a message with nothing a citizen wrote or sent. */
export function contentOf(m: Obj): string | null {
  const text = str(m.text)
  if (text) return text
  const caption = str(m.caption)
  if (caption) return caption
  for (const [field, label] of MEDIA) if (m[field] !== undefined && m[field] !== null) return label(m)
  return null
}
