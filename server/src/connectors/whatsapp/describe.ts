// What a WhatsApp message says, as inbox text: the text itself, or a short bracketed Indonesian
// label for media and other types (plus the caption the citizen wrote), e.g. "[gambar] foto jalan
// berlubang". The media itself stays on Meta's servers; its id is not a message.
import { clip, cutText, field, list, MAX_TEXT, obj, str } from '../read.ts'

/** A string with visible content, cut to `max` characters; a blank one reads as absent. */
export function visibleText(v: unknown, max: number): string | undefined {
  const s = str(v)
  return s?.trim() ? clip(s, max) : undefined
}

/** Not a citizen's words: system notices (number changed), the "chat opened" welcome request, a withdrawn reaction. */
export const IGNORED = Symbol('ignored')

/** Thrown for a message whose content cannot be read. */
export class UnreadableMessage extends Error {}

const MEDIA_LABELS: Record<string, string> = {
  image: '[gambar]',
  video: '[video]',
  sticker: '[stiker]',
  document: '[dokumen]',
  audio: '[audio]',
}

const join = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').join(' ')

function media(type: string, content: unknown): string {
  let label = MEDIA_LABELS[type]!
  if (type === 'audio' && field(content, 'voice') === true) label = '[pesan suara]'
  const filename = type === 'document' ? visibleText(field(content, 'filename'), 200) : undefined
  if (filename) label = `[dokumen: ${filename}]`
  return join(label, visibleText(field(content, 'caption'), MAX_TEXT))
}

function location(content: unknown): string {
  const lat = field(content, 'latitude')
  const lng = field(content, 'longitude')
  const coords = typeof lat === 'number' && typeof lng === 'number' && Number.isFinite(lat) && Number.isFinite(lng) ? `(${lat}, ${lng})` : undefined
  const place = [visibleText(field(content, 'name'), 300), visibleText(field(content, 'address'), 500)].filter(Boolean).join(', ')
  return join('[lokasi]', place, coords)
}

function contacts(cards: unknown[]): string {
  const shown = cards.slice(0, 5).map((card) => {
    const name = visibleText(field(card, 'name', 'formatted_name'), 120) ?? visibleText(field(card, 'name', 'first_name'), 120) ?? 'tanpa nama'
    const phones = (list(field(card, 'phones')) ?? [])
      .slice(0, 3)
      .map((p) => visibleText(field(p, 'phone'), 40))
      .filter(Boolean)
    return phones.length ? `${name} (${phones.join(', ')})` : name
  })
  return join('[kontak]', shown.join('; ') + (cards.length > 5 ? ` dan ${cards.length - 5} lainnya` : ''))
}

function interactive(content: unknown): string {
  const button = obj(field(content, 'button_reply'))
  if (button) return join('[pilihan]', visibleText(field(button, 'title'), 200))
  const row = obj(field(content, 'list_reply'))
  if (row) return join('[pilihan]', visibleText(field(row, 'title'), 200), visibleText(field(row, 'description'), 500))
  const flow = obj(field(content, 'nfm_reply'))
  if (flow) return join('[formulir]', visibleText(field(flow, 'body'), MAX_TEXT))
  return '[pilihan]'
}

/** The inbox text of a message object ({type, <type>: {...}}), IGNORED for non-messages; throws UnreadableMessage. */
export function describe(message: unknown): string | typeof IGNORED {
  const type = str(field(message, 'type'), 64)
  if (type === undefined) throw new UnreadableMessage('message without a type')
  // The content sits under a key named after the type; read only an own property of that name.
  const content = field(message, type)
  switch (type) {
    case 'text': {
      // WhatsApp bodies are at most 4096 characters: a far longer one is not a message.
      const body = str(field(content, 'body'), 100_000)
      if (body === undefined) throw new UnreadableMessage('text message without text.body')
      return cutText(body)
    }
    case 'image':
    case 'video':
    case 'sticker':
    case 'document':
    case 'audio':
      return media(type, content)
    case 'location':
      return location(content)
    case 'contacts': {
      const cards = field(message, 'contacts')
      return Array.isArray(cards) ? contacts(cards) : '[kontak]'
    }
    case 'interactive':
      return interactive(content)
    case 'button':
      // A quick-reply button of a template we sent.
      return join('[tombol]', visibleText(field(content, 'text'), 200))
    case 'reaction': {
      const emoji = visibleText(field(content, 'emoji'), 32)
      // An empty emoji means the citizen took the reaction back.
      return emoji === undefined ? IGNORED : `[reaksi ${emoji}]`
    }
    case 'order':
      return join('[pesanan katalog]', visibleText(field(content, 'text'), MAX_TEXT))
    case 'system':
    case 'request_welcome':
      return IGNORED
    case 'unsupported':
    case 'unknown':
      // Meta could not render it (polls, view-once media, and for now even edits ⚠): the citizen still wrote.
      return '[pesan tidak didukung WhatsApp — lihat di aplikasi]'
    default:
      return `[pesan jenis ${type.replace(/[^a-z0-9_]/gi, '').slice(0, 32) || 'lain'}]`
  }
}
