// The board of an OPD admin, in real Chromium: a breach of their own appears live with the item;
// once the item is moved to another OPD, the entry stays (the breach is still theirs) but shows
// only when and whose, "moved to another OPD", with nothing to open, without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opdId, signIn as signInApi } from '../helpers/app.ts'
import { markNoReload, openBrowser, signIn, stillNoReload, waitLive, type BrowserSession } from '../helpers/browser.ts'

/** Disdukcapil's website questions breach after 3 s. */
const TARGET_S = 3

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
  web.server.db.$client
    .prepare(`INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_seconds, next_response_seconds, warn_ratio, updated_at)
      VALUES ('Uji papan', 0, ?, (SELECT id FROM calendars WHERE always_open = 1), ?, ?, 0.75, 0)`)
    .run(JSON.stringify({ kinds: ['form'], opdIds: [opdId(web.server, 'disdukcapil')] }), TARGET_S, TARGET_S)
  web.server.app.services.sla.changed()
})

afterAll(async () => {
  await web?.close()
})

describe('board e2e', () => {
  it('keeps a breach of an item moved away on its former OPD’s board, without the item', async () => {
    const page = await web.newPage()
    await signIn(page, 'dukcapil')
    await page.getByTestId('nav-board').click()
    await page.waitForURL(/\/papan$/)
    await page.locator('[data-testid="board-tile"][data-opd-code="disdukcapil"]').waitFor()
    await waitLive(page)
    await markNoReload(page)

    const name = `Lestari ${Date.now()}`
    const text = `Kartu identitas anak belum jadi (uji pindah ${Date.now()})`
    const res = await fetch(`${web.server.url}/api/public/questions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, text, topic: 'adminduk' }),
    })
    expect(res.status).toBe(201)
    const code = (await res.json()).trackingCode as string

    // The breach arrives live, with the item, opening it.
    const entry = page.getByTestId('breach-item').filter({ hasText: name })
    await entry.waitFor()
    const itemId = Number(await entry.getAttribute('data-item-id'))
    expect(await entry.locator(`a[href="/kotak-masuk/${itemId}"]`).count()).toBe(1)

    // Disdukcapil hands the item to DPUPR (from another tab: the board hears of it over /ws).
    const admin = await signInApi(web.server.app, 'dukcapil')
    const moved = await web.server.app.inject({
      method: 'POST',
      url: `/api/items/${itemId}/dispositions`,
      headers: admin.headers,
      payload: { toOpdId: opdId(web.server, 'dpupr'), reason: 'Soal jalan, bukan adminduk' },
    })
    expect(moved.statusCode).toBe(200)

    // The entry stays as Disdukcapil's breach, without the citizen, the question or a way in.
    const movedEntry = page.locator('[data-testid="breach-item"][data-moved="true"]')
    await movedEntry.waitFor()
    await expect.poll(() => page.getByTestId('breach-item').filter({ hasText: name }).count()).toBe(0)
    const entryText = (await movedEntry.textContent()) ?? ''
    expect(entryText).toContain('Disdukcapil')
    expect(entryText).toContain('Dipindahkan ke OPD lain')
    expect(entryText).toMatch(/tenggat .*WIB/)
    expect(await movedEntry.locator('a').count()).toBe(0)
    expect(await movedEntry.getAttribute('data-item-id')).toBeNull()
    const pageText = await page.locator('body').innerText()
    for (const secret of [name, text, code]) expect(pageText).not.toContain(secret)
    expect(await page.locator(`a[href="/kotak-masuk/${itemId}"]`).count()).toBe(0)
    expect(await stillNoReload(page)).toBe(true)
  }, 90_000)
})
