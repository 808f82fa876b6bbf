// Browser tests: Unicode bidi controls in citizen text cannot reorder what is read, in the real app
// (web/dist served by the server) in Debian's Chromium. A citizen name "\u202Egnp.exe" must not read
// "exe.png", an override must not turn "bayar 1000" into "0001 rayab", and an unterminated one must
// not run into the words after it. The controls are shown as ⟦U+XXXX⟧; the API keeps them verbatim.
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, signIn, WAIT, type BrowserSession } from '../helpers/browser.ts'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
})

afterAll(async () => {
  await web?.close()
})

const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/

/** Fills in /tanya and returns the tracking code shown after 201. */
async function ask(page: Page, q: { name: string; text: string; topic: string }): Promise<string> {
  await page.goto('/tanya')
  await page.getByTestId('question-name').fill(q.name)
  await page.locator(`[data-testid="question-topic"] option[value="${q.topic}"]`).waitFor({ state: 'attached' })
  await page.getByTestId('question-topic').selectOption(q.topic)
  await page.getByTestId('question-text').fill(q.text)
  await page.getByTestId('question-submit').click()
  const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? ''
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/)
  return code
}

/**
 * Where each character of `needle` is drawn, left to right on screen: the left edge of every
 * character of its first occurrence in the element's text, in reading (logical) order.
 */
async function screenLefts(el: Locator, needle: string): Promise<number[]> {
  const lefts = await el.evaluate((root, needle) => {
    const nodes: Text[] = []
    const starts: number[] = []
    let text = ''
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      starts.push(text.length)
      nodes.push(n as Text)
      text += (n as Text).data
    }
    const at = text.indexOf(needle)
    if (at < 0) return null
    const out: number[] = []
    for (let i = at; i < at + needle.length; i++) {
      let k = nodes.length - 1
      while (starts[k]! > i) k--
      const range = document.createRange()
      range.setStart(nodes[k]!, i - starts[k]!)
      range.setEnd(nodes[k]!, i - starts[k]! + 1)
      out.push(range.getBoundingClientRect().left)
    }
    return out
  }, needle)
  if (!lefts) throw new Error(`"${needle}" is not in the element`)
  return lefts
}

/** Asserts that `needle` reads left to right on screen, character after character (on one line). */
async function expectInReadingOrder(el: Locator, needle: string): Promise<void> {
  const lefts = await screenLefts(el, needle)
  for (let i = 1; i < lefts.length; i++) {
    expect(lefts[i], `"${needle}": character ${i} (${needle[i]}) is not right of the one before`).toBeGreaterThan(lefts[i - 1]!)
  }
}

/** What the person reads: innerText has no raw control, and every untrusted text is isolated from its surroundings. */
async function expectNeutralised(el: Locator): Promise<string> {
  const text = await el.innerText()
  expect(text).not.toMatch(BIDI_CONTROL)
  const isolation = await el.locator('.untrusted').evaluateAll((els) => els.map((e) => getComputedStyle(e).unicodeBidi))
  expect(isolation.length).toBeGreaterThan(0)
  expect(new Set(isolation)).toEqual(new Set(['isolate']))
  return text
}

describe('bidi controls e2e', () => {
  it('an admin reads citizen text in its true order, with the controls shown; the API keeps them verbatim', async () => {
    const admin = await web.newPage()
    await signIn(admin, 'dukcapil')

    const citizen = await web.newPage()
    const tag = `uji${Date.now().toString(36)}`
    // RLO left open in the name; RLO…PDF and LRI…PDI pairs in the text, and an RLO left open before its last words.
    const name = `Rina \u202Egnp.exe`
    const text = `Saya sudah \u202Ebayar 1000\u202C tapi \u2067belum\u2069 diproses. \u202EMohon dicek ${tag}`
    const shownName = 'Rina ⟦U+202E⟧gnp.exe'
    const shownText = `Saya sudah ⟦U+202E⟧bayar 1000⟦U+202C⟧ tapi ⟦U+2067⟧belum⟦U+2069⟧ diproses. ⟦U+202E⟧Mohon dicek ${tag}`
    const code = await ask(citizen, { name, text, topic: 'adminduk' })

    // The inbox row: the name, then the preview after it, each in reading order.
    const row = admin.getByTestId('item-row').filter({ hasText: tag })
    await row.waitFor()
    await expectNeutralised(row)
    expect(await row.locator('.row-name').innerText()).toBe(shownName)
    expect(await row.locator('.row-preview').innerText()).toBe(shownText)
    await expectInReadingOrder(row.locator('.row-name'), 'gnp.exe')
    await expectInReadingOrder(row.locator('.row-preview'), 'Saya sudah')
    await expectInReadingOrder(row.locator('.row-preview'), 'bayar 1000')
    await expectInReadingOrder(row.locator('.row-preview'), 'Mohon dicek')
    // A hint on hovering says what the markers are.
    expect(await row.locator('.row-name .untrusted').getAttribute('title')).toContain('⟦U+…⟧')

    // The open item: header, thread, and the status badge that follows the name.
    await row.click()
    await admin.waitForURL(/\/kotak-masuk\/\d+$/)
    const itemId = Number(new URL(admin.url()).pathname.split('/').pop())
    const detail = admin.getByTestId('item-detail')
    const message = detail.locator('[data-testid="thread-message"][data-direction="in"]').filter({ hasText: tag })
    await message.waitFor()
    await expectNeutralised(detail)
    const heading = detail.locator('.detail-title h2')
    expect(await heading.innerText()).toBe(shownName)
    await expectInReadingOrder(heading, 'Rina ⟦U+202E⟧gnp.exe')
    const badge = detail.locator('.detail-title .badge')
    expect(await badge.innerText()).toBe('Terbuka')
    const [nameBox, badgeBox] = [await heading.boundingBox(), await badge.boundingBox()]
    expect(badgeBox!.x).toBeGreaterThanOrEqual(nameBox!.x + nameBox!.width)
    expect(await message.locator('.bubble-author').innerText()).toBe(shownName)
    expect(await message.locator('.bubble-text').innerText()).toBe(shownText)
    await expectInReadingOrder(message.locator('.bubble-author'), 'gnp.exe')
    await expectInReadingOrder(message.locator('.bubble-text'), 'bayar 1000')
    await expectInReadingOrder(message.locator('.bubble-text'), 'Mohon dicek')

    // The API still returns exactly what the citizen sent.
    const api = await admin.evaluate(async (id) => (await fetch(`/api/items/${id}`)).json(), itemId)
    expect(api.item.citizenName).toBe(name)
    expect(api.item.preview).toBe(text)
    expect(api.messages.map((m: { text: string; authorName: string }) => [m.authorName, m.text])).toContainEqual([name, text])
    const status = await citizen.evaluate(async (c) => (await fetch(`/api/public/questions/${c}`)).json(), code)
    expect(status.question).toBe(text)

    // The citizen's status page reads the same way.
    await citizen.goto(`/lacak/${code}`)
    const question = citizen.getByTestId('status-question')
    await expect.poll(async () => question.innerText(), { timeout: WAIT }).toBe(shownText)
    await expectNeutralised(question)
    await expectInReadingOrder(question, 'bayar 1000')
    await expectInReadingOrder(question, 'Mohon dicek')
  }, 60_000)

  it('a tracking code typed into the address cannot reorder the sentence around it or the page title', async () => {
    const page = await web.newPage()
    await page.goto(`/lacak/${encodeURIComponent('\u202EABCD-XYZ9')}`)
    const notFound = page.getByTestId('track-not-found')
    await notFound.waitFor()
    const body = notFound.locator('p')
    expect(await expectNeutralised(body)).toBe('Periksa kembali kode ⟦U+202E⟧ABCD-XYZ9. Kode terdiri dari 8 huruf dan angka, misalnya ABCD-2345.')
    await expectInReadingOrder(body, 'ABCD-XYZ9. Kode terdiri')
    await expectInReadingOrder(body, 'misalnya ABCD-2345.')
    const title = await page.title()
    expect(title).toContain('⟦U+202E⟧ABCD-XYZ9')
    expect(title).not.toMatch(BIDI_CONTROL)
  }, 30_000)
})
