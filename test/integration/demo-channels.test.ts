// Demo channels carry made-up secrets. Without a simulator they call no platform — no polling, no
// admin lookups, no connection test, and a reply fails on the item with the reason — and the channel
// page says they are idle; with SIMULATOR_URL they talk to the simulator. A tripwire on fetch counts
// every outbound call the app makes (app.inject itself never fetches); a real channel added beside
// the demo ones shows that the tripwire sees the app's calls.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AdminChannel } from '@tanggap/shared'
import { groupAdmins } from '../../server/src/connectors/telegram/enrich.ts'
import { DEMO_NOT_CONNECTED } from '../../server/src/modules/channels/demo.ts'
import { createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { channelId, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const BOT_HOOK = '/webhooks/telegram/7000000001'
const groupComment = readFileSync(new URL('../fixtures/telegram/group-comment.json', import.meta.url), 'utf8')

let close: (() => Promise<void>) | undefined
beforeEach(() => groupAdmins.clear())
afterEach(async () => {
  vi.restoreAllMocks()
  await close?.()
  close = undefined
})

const channelList = async (t: TestApp, admin: SignedIn) => (await t.app.inject({ url: '/api/admin/channels', headers: admin.headers })).json<AdminChannel[]>()
const testConnection = async (t: TestApp, admin: SignedIn, id: number) =>
  (await t.app.inject({ method: 'POST', url: `/api/admin/channels/${id}/test`, headers: admin.headers })).json()

/** A Telegram group comment on the demo bot (its admin list would be looked up), and its item. */
async function groupCommentItem(t: TestApp): Promise<number> {
  expect((await postRaw(t, BOT_HOOK, groupComment, { 'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken })).statusCode).toBe(200)
  await t.jobs.idle()
  return rows<{ id: number }>(t, "SELECT id FROM items WHERE platform = 'telegram'")[0]!.id
}

async function reply(t: TestApp, itemId: number) {
  const dishub = await signIn(t.app, 'dishub')
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/items/${itemId}/replies`,
    headers: dishub.headers,
    payload: { text: 'Sampun kami teruskan, matur nuwun 🙏' },
  })
  expect(res.statusCode, res.body).toBe(201)
  await t.jobs.idle()
  return (await t.app.inject({ url: `/api/items/${itemId}`, headers: dishub.headers })).json()
}

describe('demo channels without a simulator', () => {
  let calls: string[]
  beforeEach(() => {
    calls = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      calls.push(input instanceof Request ? input.url : String(input))
      throw new TypeError('fetch failed: this test allows no outbound call')
    })
  })

  it('call no platform, say so on the channel page, and fail a reply on the item with the reason', async () => {
    // The platform APIs are the real ones: what `npm start` does on a fresh clone.
    const t = await createTestApp({ env: { SIMULATOR_URL: '' } })
    close = t.close
    await t.jobs.idle()
    const admin = await signIn(t.app, 'superadmin')
    expect((await channelList(t, admin)).map((c) => [c.platform, c.demo])).toEqual(
      DEMO_CHANNELS.map((c) => [c.platform, c.platform === 'website' ? null : 'idle']),
    )

    // Polling: the demo YouTube channel is neither scheduled nor polled, spends no quota and shows no error.
    const youtube = channelId(t, 'youtube')
    await t.app.services.poll.schedule()
    await t.jobs.idle()
    expect(await t.app.services.poll.poll(youtube)).toEqual({ pages: 0 })
    expect(rows(t, 'SELECT count(*) AS n FROM api_quota')).toEqual([{ n: 0 }])

    // A group comment is stored as the citizen's without asking Telegram for the group's admins.
    const itemId = await groupCommentItem(t)
    expect(rows(t, "SELECT direction, author_name FROM messages WHERE platform = 'telegram'")).toEqual([{ direction: 'in', author_name: 'Wàhyu Prasetyo' }])

    // A reply fails at once on the item, with the reason; the citizen still waits for an answer.
    const detail = await reply(t, itemId)
    expect(detail.replies).toEqual([expect.objectContaining({ state: 'failed', error: DEMO_NOT_CONNECTED })])
    expect(detail.item).toMatchObject({ status: 'open', awaitingSince: 1763946900_000 })

    // The connection test explains instead of calling.
    expect(await testConnection(t, admin, youtube)).toEqual({ ok: false, detail: 'Kanal demo: tidak terhubung ke platform (jalankan simulator)' })
    expect(rows(t, 'SELECT last_error FROM channels WHERE id = ?', youtube)).toEqual([{ last_error: null }])
    expect(calls).toEqual([])

    // A real channel beside them is polled as usual (and meets the tripwire): the silence above is the demo's.
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/channels',
      headers: admin.headers,
      payload: {
        platform: 'youtube',
        accountId: 'UCdishubtegal0000000000',
        name: 'YouTube Dishub',
        opdId: opdId(t, 'dishub'),
        secrets: { accessToken: 'ya29.a-real-looking-token' },
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json<AdminChannel>().demo).toBeNull()
    await t.app.services.poll.schedule()
    await t.jobs.idle()
    await eventually(() =>
      expect(calls).toEqual([
        expect.stringMatching(/^https:\/\/www\.googleapis\.com\/youtube\/v3\/commentThreads\?.*allThreadsRelatedToChannelId=UCdishubtegal0000000000/),
      ]),
    )
  })
})

describe('demo channels with the simulator', () => {
  it('poll the simulator, look up and reply through it, and show as connected', async () => {
    const made = await createAppWithFakeApi()
    close = made.close
    const { t, api } = made
    // The first poll at start went to the simulator's YouTube API with the demo token.
    await t.jobs.idle()
    expect(api.callsTo('youtube').map((c) => [c.path, c.query.allThreadsRelatedToChannelId, c.headers.authorization])).toEqual([
      ['/commentThreads', 'UCtegalkab000000000000', `Bearer ${DEMO_SECRETS.youtube.accessToken}`],
    ])
    const admin = await signIn(t.app, 'superadmin')
    expect((await channelList(t, admin)).filter((c) => c.demo !== null).map((c) => c.demo)).toEqual(
      DEMO_CHANNELS.filter((c) => c.platform !== 'website').map(() => 'connected'),
    )

    const itemId = await groupCommentItem(t)
    const detail = await reply(t, itemId)
    expect(detail.replies).toEqual([expect.objectContaining({ state: 'sent', error: null })])
    expect(api.callsTo('telegram').map((c) => c.path.split('/').at(-1))).toEqual(['getChatAdministrators', 'sendMessage'])
  })
})
