// The channel page in Debian's Chromium on an app started as `npm start` starts it, without a
// simulator: every demo channel says it is not connected to its platform, in Indonesian and then in
// English; the website form, which calls no platform, says nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, signIn, type BrowserSession } from '../helpers/browser.ts'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser({ env: { SIMULATOR_URL: '' } })
})

afterAll(async () => {
  await web?.close()
})

describe('demo channels e2e', () => {
  it('the channel page tells the superadmin that demo channels are idle until the simulator runs', async () => {
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    await page.getByTestId('nav-channels').click()
    await page.waitForURL(/\/pengaturan\/kanal$/)
    await page.getByTestId('channel-list').waitFor()

    const youtube = page.locator('[data-testid="channel-card"][data-platform="youtube"]')
    await expect.poll(() => youtube.getByTestId('channel-demo').textContent()).toBe('Kanal demo: tidak terhubung ke platform (jalankan simulator)')
    expect(await youtube.getByTestId('channel-demo').getAttribute('data-demo')).toBe('idle')
    // Every demo channel but the website form carries the note.
    const notes = await page
      .locator('[data-testid="channel-card"]')
      .evaluateAll((cards) => cards.map((c) => [c.getAttribute('data-platform'), c.querySelector('[data-testid="channel-demo"]')?.textContent ?? null]))
    expect(notes.filter(([platform]) => platform === 'website')).toEqual([['website', null]])
    expect(
      notes.filter(([platform]) => platform !== 'website').every(([, note]) => note === 'Kanal demo: tidak terhubung ke platform (jalankan simulator)'),
    ).toBe(true)

    await page.locator('button.lang-toggle').click()
    await expect.poll(() => youtube.getByTestId('channel-demo').textContent()).toBe('Demo channel: not connected to the platform (start the simulator)')
  })
})
