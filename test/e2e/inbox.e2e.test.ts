// Browser tests: the real app (web/dist served by the server) in Debian's Chromium.
// A citizen's question reaches the OPD admin's inbox live, the answer reaches the status page,
// citizen text is never executed as HTML, and an unknown tracking code says so.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markNoReload, openBrowser, signIn, stillNoReload, WAIT, type BrowserSession } from '../helpers/browser.ts'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
})

afterAll(async () => {
  await web?.close()
})

/** Fills in /tanya and returns the tracking code shown after 201. */
async function ask(page: Page, q: { name: string; text: string; topic?: string }): Promise<string> {
  await page.goto('/tanya')
  await page.getByTestId('question-name').fill(q.name)
  if (q.topic) {
    await page.locator(`[data-testid="question-topic"] option[value="${q.topic}"]`).waitFor({ state: 'attached' })
    await page.getByTestId('question-topic').selectOption(q.topic)
  }
  await page.getByTestId('question-text').fill(q.text)
  await page.getByTestId('question-submit').click()
  const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? ''
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/)
  return code
}

const rowWith = (page: Page, text: string) => page.getByTestId('item-row').filter({ hasText: text })

describe('inbox e2e', () => {
  it('a website question appears live in the OPD inbox, is answered, and the answer shows on the status page', async () => {
    const admin = await web.newPage()
    await signIn(admin, 'dukcapil')
    await markNoReload(admin)

    const citizen = await web.newPage()
    const question = `Bagaimana cara mengurus KTP elektronik yang hilang? (uji ${Date.now()})`
    const code = await ask(citizen, { name: 'Siti Aminah', text: question, topic: 'adminduk' })

    // Live: the row arrives over /ws, without a reload.
    const row = rowWith(admin, question)
    await row.waitFor()
    expect(await stillNoReload(admin)).toBe(true)
    expect(await row.textContent()).toContain('Siti Aminah')

    await row.click()
    await admin.waitForURL(/\/kotak-masuk\/\d+$/)
    const detail = admin.getByTestId('item-detail')
    await detail.getByTestId('thread-message').filter({ hasText: question }).waitFor()

    const answer = `Silakan datang ke kantor Disdukcapil dengan membawa surat kehilangan dari kepolisian. (${code})`
    await admin.getByTestId('reply-text').fill(answer)
    await admin.getByTestId('reply-submit').click()
    await detail.locator('[data-testid="reply-state"][data-state="sent"]').waitFor()
    expect(await admin.getByTestId('reply-text').inputValue()).toBe('')

    await citizen.goto(`/lacak/${code}`)
    await expect.poll(async () => (await citizen.getByTestId('status-question').textContent())?.trim(), { timeout: WAIT }).toBe(question)
    await citizen.getByTestId('status-answer').filter({ hasText: answer }).waitFor()
    expect(await citizen.getByTestId('status-badge').textContent()).toBe('Dijawab')
  }, 60_000)

  it('renders citizen text literally: no script runs and no <img> is created', async () => {
    const admin = await web.newPage()
    await signIn(admin, 'dukcapil')

    const citizen = await web.newPage()
    const script = '<script>window.__xss=1</script>'
    const img = '<img src=x onerror="window.__xss=2">'
    const name = `Budi ${script}${img}`
    const text = `Pertanyaan ${script} dan ${img} selesai ${Date.now()}`
    const code = await ask(citizen, { name, text, topic: 'adminduk' })

    const xssOf = (p: Page) => p.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)
    const imgCount = (p: Page) => p.locator('img[src="x"]').count()

    // Inbox list, then the open item.
    const row = rowWith(admin, `selesai ${text.slice(-13)}`)
    await row.waitFor()
    const rowText = (await row.textContent()) ?? ''
    expect(rowText).toContain(name)
    expect(rowText).toContain(script)
    await row.click()
    const detail = admin.getByTestId('item-detail')
    const message = detail.getByTestId('thread-message').filter({ hasText: 'Pertanyaan' }).first()
    await message.waitFor()
    expect(await message.textContent()).toContain(text)
    expect(await detail.textContent()).toContain(name)

    // Status page.
    await citizen.goto(`/lacak/${code}`)
    await expect.poll(async () => citizen.getByTestId('status-question').textContent(), { timeout: WAIT }).toBe(text)

    for (const p of [admin, citizen]) {
      expect(await xssOf(p)).toBeUndefined()
      expect(await imgCount(p)).toBe(0)
      expect(await p.locator('script:not([src])').count()).toBe(0)
    }
  }, 60_000)

  it('an unknown tracking code shows the not-found message', async () => {
    const page = await web.newPage()
    await page.goto('/lacak/ZZZZ-ZZZZ')
    const notFound = page.getByTestId('track-not-found')
    await notFound.waitFor()
    expect(await notFound.textContent()).toContain('Kode pelacakan tidak ditemukan')
  }, 30_000)
})
