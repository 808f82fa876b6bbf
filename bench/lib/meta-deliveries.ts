// Signed Meta webhook deliveries for the benchmarks: each one a new top-level comment by a citizen
// under a post of the demo Facebook Page (DEMO_CHANNELS '102030405060708'), built by the
// simulator's facebookMaker in Meta's real format (object "page", entry[].changes[] field "feed",
// non-ASCII written as \uXXXX escapes as Meta does) and signed with the demo app secret:
// X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw body).
//
// Every delivery carries a comment id never used before in the run, so every body (and its
// signature) is different. Tanggap keys deliveries by the body's hash, so a repeated body would be
// acknowledged without being stored: cycling through a fixed set of bodies would measure dedupe,
// not ingest. The bench therefore signs the bodies it needs before each phase (fill), outside the
// measured time; take() signs one on the spot only if the pool runs dry, and counts it.
import { DEMO_CHANNELS, DEMO_SECRETS } from '@tanggap/db/seed'
import { CITIZEN_NAMES, CITIZEN_TEXTS } from '../../server/src/simulator/corpus.ts'
import { facebookMaker } from '../../server/src/simulator/platforms/facebook.ts'
import type { SimChannel } from '../../server/src/simulator/types.ts'

export const META_PATH = '/webhooks/meta'
export const META_PAGE_ID = '102030405060708'

const page = DEMO_CHANNELS.find((c) => c.platform === 'facebook' && c.accountId === META_PAGE_ID)
if (!page) throw new Error(`the demo seed has no Facebook Page ${META_PAGE_ID}`)
const CHANNEL: SimChannel = { platform: 'facebook', accountId: page.accountId, name: page.name, credentials: { ...DEMO_SECRETS.meta } }

/** The Page's recent posts people comment under (post ids as Graph writes them, without the Page prefix). */
const POSTS = Array.from({ length: 24 }, (_, i) => String(812_345_678_901_234 + i * 7_919))
/** Each citizen keeps one Facebook id, as on the platform. */
const AUTHORS = CITIZEN_NAMES.map((name, i) => ({ name, id: String(6_123_456_789_012_345 + i * 104_729) }))

export interface SignedDelivery {
  body: string
  /** The X-Hub-Signature-256 header. */
  signature: string
  /** The comment's text (to find it again through the API). */
  text: string
}

export class MetaDeliveries {
  private pool: (SignedDelivery | undefined)[] = []
  private next = 0
  private serial = 0
  /** Comment ids start from the run's clock, so two runs never share one. */
  private readonly base = (Date.now() % 1_000_000) * 1_000_000_000
  /** Deliveries signed during a load because the pool ran dry. */
  onTheFly = 0
  /** Deliveries handed out so far. */
  taken = 0
  /** Body sizes, for the report. */
  bytes = { min: Infinity, max: 0, total: 0, count: 0 }

  /** Signs n fresh deliveries now; take() hands them out in order. Returns the milliseconds it took. */
  fill(n: number): number {
    const t = performance.now()
    this.pool = []
    for (let i = 0; i < n; i++) this.pool.push(this.make())
    this.next = 0
    return performance.now() - t
  }

  take(): SignedDelivery {
    this.taken++
    if (this.next < this.pool.length) {
      const d = this.pool[this.next]!
      this.pool[this.next++] = undefined
      return d
    }
    this.onTheFly++
    return this.make()
  }

  private make(): SignedDelivery {
    const n = this.serial++
    const author = AUTHORS[n % AUTHORS.length]!
    // Spread texts, authors and posts independently (different periods), so neighbours differ.
    const text = CITIZEN_TEXTS[(n * 7) % CITIZEN_TEXTS.length]!
    const post = POSTS[(n * 5) % POSTS.length]!
    const delivery = facebookMaker.make(CHANNEL, [
      {
        kind: 'comment',
        text,
        authorName: author.name,
        authorId: author.id,
        messageId: String(this.base + n),
        threadId: post,
        at: Date.now() - (n % 30) * 1000,
      },
    ])
    const signature = delivery.headers['x-hub-signature-256']
    if (!signature) throw new Error('facebookMaker gave no X-Hub-Signature-256')
    const size = Buffer.byteLength(delivery.body)
    this.bytes.min = Math.min(this.bytes.min, size)
    this.bytes.max = Math.max(this.bytes.max, size)
    this.bytes.total += size
    this.bytes.count++
    return { body: delivery.body, signature, text }
  }
}
