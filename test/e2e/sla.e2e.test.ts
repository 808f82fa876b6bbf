// Browser tests of the SLA views, on the real app in Debian's Chromium, with fast 24/7 policies
// inserted for website questions: the live board shows a breach the moment it happens (feed and
// tile, no reload) and catches up after a lost connection; an inbox row's countdown turns amber at
// the warning point and red at due.
import type { Locator, WebSocketRoute } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opdId } from '../helpers/app.ts'
import { markNoReload, openBrowser, signIn, stillNoReload, waitLive, WAIT, type BrowserSession } from '../helpers/browser.ts'

/** Disdukcapil's website questions breach after 3 s; DPUPR's warn at 8 s and breach at 16 s. */
const BOARD_TARGET_S = 3
const COLOUR_TARGET_S = 16
const COLOUR_WARN_RATIO = 0.5

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
  const db = web.server.db.$client
  const insert =
    db.prepare(`INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_seconds, next_response_seconds, warn_ratio, updated_at)
    VALUES (?, 0, ?, (SELECT id FROM calendars WHERE always_open = 1), ?, ?, ?, 0)`)
  insert.run('Uji papan', JSON.stringify({ kinds: ['form'], opdIds: [opdId(web.server, 'disdukcapil')] }), BOARD_TARGET_S, BOARD_TARGET_S, 0.75)
  insert.run('Uji warna', JSON.stringify({ kinds: ['form'], opdIds: [opdId(web.server, 'dpupr')] }), COLOUR_TARGET_S, COLOUR_TARGET_S, COLOUR_WARN_RATIO)
  web.server.app.services.sla.changed()
})

afterAll(async () => {
  await web?.close()
})

/** A citizen's question through the public API (as the /tanya form sends it). */
async function ask(body: { name: string; text: string; topic: string }): Promise<void> {
  const res = await fetch(`${web.server.url}/api/public/questions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(201)
}

const count = async (l: Locator) => Number((await l.textContent())?.trim())

describe('SLA e2e', () => {
  it('the board shows a new breach in the feed and the OPD tile without a reload', async () => {
    const page = await web.newPage()
    await signIn(page, 'prokompim')
    await page.getByTestId('nav-board').click()
    await page.waitForURL(/\/papan$/)
    const tile = page.locator('[data-testid="board-tile"][data-opd-code="disdukcapil"]')
    await tile.waitFor()
    await waitLive(page)
    const before = await count(tile.getByTestId('tile-breached'))
    await markNoReload(page)

    const name = `Rahmat ${Date.now()}`
    const text = `Kapan KTP elektronik saya selesai dicetak? (uji papan ${Date.now()})`
    await ask({ name, text, topic: 'adminduk' })

    // The breach arrives over /ws at its due moment and is prepended to the feed at once.
    const entry = page.getByTestId('breach-item').filter({ hasText: name })
    await entry.waitFor()
    const entryText = (await entry.textContent()) ?? ''
    expect(entryText).toContain(text)
    expect(entryText).toContain('Disdukcapil')
    expect(entryText).toContain('Situs web')
    expect(entryText).toMatch(/tenggat .*WIB/)
    expect(await page.getByTestId('breach-item').first().getAttribute('data-item-id')).toBe(await entry.getAttribute('data-item-id'))

    // The tile's counter follows (a debounced refetch of /api/board), and stands out.
    await expect.poll(() => count(tile.getByTestId('tile-breached')), { timeout: WAIT }).toBe(before + 1)
    expect(await tile.getAttribute('data-level')).toBe('breached')
    expect(await tile.getAttribute('class')).toContain('tile-breached')
    expect(await stillNoReload(page)).toBe(true)
  }, 90_000)

  it('a board whose connection dropped catches up on reconnect, without a reload', async () => {
    const page = await web.newPage()
    // Every /ws goes through this route: frames can be lost (as while a connection is down) and the socket closed.
    let lose = false
    const open: { page: WebSocketRoute; server: WebSocketRoute }[] = []
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer()
      server.onMessage((m) => {
        if (!lose) ws.send(m)
      })
      open.push({ page: ws, server })
    })
    await signIn(page, 'prokompim')
    await page.getByTestId('nav-board').click()
    const tile = page.locator('[data-testid="board-tile"][data-opd-code="disdukcapil"]')
    await tile.waitFor()
    await waitLive(page)
    const before = await count(tile.getByTestId('tile-breached'))
    await markNoReload(page)

    lose = true
    const name = `Lestari ${Date.now()}`
    await ask({ name, text: `Bagaimana cara mengurus akta kematian? (uji sambung ulang ${Date.now()})`, topic: 'adminduk' })
    const db = web.server.db.$client
    await expect
      .poll(
        () => db.prepare("SELECT count(*) AS n FROM metric_events m JOIN items i ON i.id = m.item_id WHERE m.type = 'breach' AND i.citizen_name = ?").get(name),
        { timeout: WAIT },
      )
      .toEqual({ n: 1 })
    // Nothing reached the page: the board does not know yet.
    expect(await page.getByTestId('breach-item').filter({ hasText: name }).count()).toBe(0)
    expect(await count(tile.getByTestId('tile-breached'))).toBe(before)

    // The connection drops; the app reconnects by itself and refetches the board.
    lose = false
    for (const c of open.splice(0)) {
      await c.page.close({ code: 4000, reason: 'test: connection lost' })
      await c.server.close()
    }
    await page.getByTestId('breach-item').filter({ hasText: name }).waitFor()
    await expect.poll(() => count(tile.getByTestId('tile-breached')), { timeout: WAIT }).toBe(before + 1)
    expect(open.length).toBeGreaterThan(0)
    expect(await stillNoReload(page)).toBe(true)
  }, 90_000)

  it('an inbox row counts down and turns amber at the warning point, then red at due', async () => {
    const page = await web.newPage()
    await signIn(page, 'dpupr')
    await markNoReload(page)
    const text = `Jalan berlubang di depan SD Kalisoka belum diperbaiki (uji warna ${Date.now()})`
    await ask({ name: 'Wahyuni', text, topic: 'jalan' })

    const row = page.getByTestId('item-row').filter({ hasText: text })
    await row.waitFor()
    const countdown = row.getByTestId('sla-countdown')
    const colour = () => countdown.evaluate((el) => getComputedStyle(el).color)

    // Normal first: a countdown on the 24/7 clock, in the brand colour.
    expect(await row.getAttribute('data-sla')).toBe('normal')
    expect(await countdown.getAttribute('class')).toContain('sla-normal')
    expect(await countdown.textContent()).toMatch(/^sisa \d+ dtk$/)
    expect(await colour()).toBe('rgb(15, 92, 77)')
    // It ticks.
    const first = await countdown.textContent()
    await expect.poll(() => countdown.textContent(), { timeout: WAIT }).not.toBe(first)

    // Past the warning point (8 s): amber.
    await page.locator('[data-testid="item-row"][data-sla="warning"]').filter({ hasText: text }).waitFor()
    expect(await countdown.getAttribute('class')).toContain('sla-warning')
    expect(await colour()).toBe('rgb(138, 83, 0)')

    // Past due (16 s): red, counting how late.
    await page.locator('[data-testid="item-row"][data-sla="breached"]').filter({ hasText: text }).waitFor()
    expect(await countdown.getAttribute('class')).toContain('sla-breached')
    expect(await colour()).toBe('rgb(179, 38, 30)')
    expect(await countdown.textContent()).toMatch(/^terlambat \d+ dtk$/)

    // The breached row leads the list (urgency order); the detail shows the due time and the state.
    expect(await page.getByTestId('item-row').first().textContent()).toContain(text)
    await row.click()
    const detail = page.getByTestId('item-detail')
    await detail.locator('[data-testid="detail-sla-status"][data-sla="breached"]').waitFor()
    expect(await detail.getByTestId('detail-due').textContent()).toMatch(/WIB/)

    // Closing as spam: the item leaves the SLA figures, and says so.
    await detail.getByTestId('close-as-open').click()
    await detail.getByTestId('close-spam').click()
    await detail.locator('[data-testid="detail-excluded"][data-reason="spam"]').waitFor()
    expect(await detail.getByTestId('detail-excluded').textContent()).toContain('Dikecualikan dari SLA: Spam')
    await expect.poll(() => row.getAttribute('data-sla'), { timeout: WAIT }).toBe('none')
    expect(await row.getByTestId('sla-countdown').count()).toBe(0)
    expect(await stillNoReload(page)).toBe(true)
  }, 90_000)
})
