// npm run simulate: a local stand-in for every platform. It serves each platform's API (records the
// replies Tanggap sends, answers like the platform, can be told to fail) and sends signed, realistic
// deliveries — citizens' comments and messages on the demo channels — to a running Tanggap.
//
//   terminal 1:  SIMULATOR_URL=http://127.0.0.1:4010 npm start
//   terminal 2:  npm run simulate                       (RATE=2 PLATFORMS=whatsapp,instagram …)
import { DEMO_CHANNELS } from '@tanggap/db/seed'
import type { ItemKind, Platform } from '@tanggap/shared'
import { parseArgs } from 'node:util'
import { CITIZEN_NAMES, CITIZEN_TEXTS } from './corpus.ts'
import { startFakeApi } from './fake-api.ts'
import { DELIVERY_MAKERS, FAKE_APIS } from './platforms/index.ts'
import type { SimChannel, SimPost } from './types.ts'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TANGGAP_URL ?? 'http://127.0.0.1:3000' },
    port: { type: 'string', default: process.env.SIM_PORT ?? '4010' },
    rate: { type: 'string', default: process.env.RATE ?? '0.5' },
    seconds: { type: 'string', default: process.env.SECONDS ?? '0' },
    platforms: { type: 'string', default: process.env.PLATFORMS ?? '' },
  },
})

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!
let serial = Date.now()
const nextId = () => String(++serial)

/** Recent threads per channel, so some citizens write again in the same conversation or comment tree. */
const recentThreads = new Map<string, { threadId: string; authorId: string; authorName: string }[]>()

function post(channel: SimChannel, kind: ItemKind): SimPost {
  const key = `${channel.platform}:${channel.accountId}:${kind}`
  const recent = recentThreads.get(key) ?? []
  const again = recent.length > 0 && Math.random() < 0.25 ? pick(recent) : undefined
  const author = again ?? { threadId: nextId(), authorId: nextId(), authorName: pick(CITIZEN_NAMES) }
  if (!again) recentThreads.set(key, [...recent.slice(-20), author])
  return {
    kind,
    text: pick(CITIZEN_TEXTS),
    authorName: author.authorName,
    authorId: author.authorId,
    messageId: nextId(),
    threadId: author.threadId,
    at: Date.now(),
    ...(kind === 'comment' && again ? { parentId: again.threadId } : {}),
  }
}

async function main() {
  const rate = Number(values.rate)
  const seconds = Number(values.seconds)
  if (!(rate > 0 && rate <= 1000)) throw new Error('--rate: messages per second, between 0 and 1000')
  const wanted = values.platforms ? (values.platforms.split(',') as Platform[]) : undefined
  const channels: SimChannel[] = DEMO_CHANNELS.filter((c) => c.credentials && DELIVERY_MAKERS[c.platform] && (!wanted || wanted.includes(c.platform))).map(
    (c) => ({ platform: c.platform, accountId: c.accountId, name: c.name, credentials: c.credentials! }),
  )
  if (!channels.length) throw new Error('no simulated platforms available (check --platforms)')

  const api = await startFakeApi(FAKE_APIS, { port: Number(values.port) })
  console.log(`Simulator platform API: ${api.url}  (start Tanggap with SIMULATOR_URL=${api.url})`)
  console.log(`Sending ${rate} deliveries/s to ${values.url} on: ${[...new Set(channels.map((c) => c.platform))].join(', ')}`)

  const counts = { sent: 0, accepted: 0, rejected: 0, failed: 0 }
  const tick = async () => {
    const channel = pick(channels)
    const maker = DELIVERY_MAKERS[channel.platform]!
    const posts = [post(channel, pick(maker.kinds))]
    counts.sent++
    // Polled platforms keep the post in the fake API until Tanggap's next poll.
    if (!('make' in maker)) {
      maker.add(channel, posts)
      counts.accepted++
      return
    }
    const delivery = maker.make(channel, posts)
    try {
      const res = await fetch(values.url + delivery.path, { method: delivery.method, headers: delivery.headers, body: delivery.body })
      if (res.ok) counts.accepted++
      else {
        counts.rejected++
        console.warn(`${channel.platform}: ${res.status} ${(await res.text()).slice(0, 200)}`)
      }
    } catch (err) {
      counts.failed++
      if (counts.failed === 1 || counts.failed % 50 === 0) console.warn(`Tanggap not reachable at ${values.url}: ${(err as Error).message}`)
    }
    if (counts.sent % 10 === 0)
      console.log(`${counts.sent} sent · ${counts.accepted} accepted · ${counts.rejected} rejected · ${api.calls.length} API calls received`)
  }
  const timer = setInterval(() => void tick(), 1000 / rate)
  const stop = async () => {
    clearInterval(timer)
    await api.close()
    console.log(`Done: ${JSON.stringify(counts)}; replies received by the simulated platforms: ${api.calls.filter((c) => c.method === 'POST').length}`)
    process.exit(0)
  }
  if (seconds > 0) setTimeout(() => void stop(), seconds * 1000)
  process.on('SIGINT', () => void stop())
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
