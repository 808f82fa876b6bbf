// The superadmin's list of deliveries whose processing failed, in Chromium on the real app: empty at
// first, then each failure with its error (shown as text), and "Proses ulang" turning a question
// that failed into an item while a delivery that fails again comes back with its attempts counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SECRETS } from '@tanggap/db/seed'
import { openBrowser, signIn, WAIT, type BrowserSession } from '../helpers/browser.ts'
import { eventually } from '../helpers/wait.ts'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
})

afterAll(async () => {
  await web?.close()
})

const one = <T>(sql: string, ...params: unknown[]) => web.server.db.$client.prepare(sql).get(...params) as T

/** A Telegram update the bot's secret token vouches for, whose date is no time: accepted, then failed. */
async function brokenTelegramUpdate(): Promise<number> {
  const raw = JSON.stringify({ update_id: 770001, message: { message_id: 9, date: 'tadi pagi', chat: { id: 31, type: 'private' }, text: 'Jadwal bus?' } })
  const res = await fetch(`${web.server.url}/webhooks/telegram/7000000001`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken },
    body: raw,
  })
  expect(res.status).toBe(200)
  const { id } = one<{ id: number }>("SELECT id FROM deliveries WHERE platform = 'telegram' ORDER BY id DESC")
  await eventually(() => one<{ state: string }>('SELECT state FROM deliveries WHERE id = ?', id).state === 'failed', WAIT, 'telegram delivery failed')
  return id
}

/** A website question as a version before the byte-order-mark fix left it; its error quotes the body. */
function questionFailedBeforeTheFix(): number {
  const body = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(JSON.stringify({ name: 'Wati', text: 'Kapan pasar Trayeman buka lagi?', topic: 'informasi' })),
  ])
  const channel = one<{ id: number }>("SELECT id FROM channels WHERE platform = 'website'").id
  const r = web.server.db.$client
    .prepare(`INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, state, attempts, error, received_at, processed_at)
    VALUES ('website', ?, 'website:e2e-before-fix', 'WATY-7777', ?, 'failed', 1, ?, ?, ?)`)
    .run(channel, body, 'Unexpected token <b>x</b> in JSON at position 0', Date.now(), Date.now())
  return Number(r.lastInsertRowid)
}

describe('failed deliveries e2e', () => {
  it('a superadmin sees each failed delivery with its error and processes it again', async () => {
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    await page.goto('/pengaturan/kanal')
    const section = page.getByTestId('failed-deliveries')
    await section.getByTestId('failed-empty').waitFor()
    expect(await section.locator('h2').textContent()).toBe('Kiriman yang gagal diproses')

    const telegramId = await brokenTelegramUpdate()
    const questionId = questionFailedBeforeTheFix()
    await page.reload()
    const rowOf = (id: number) => section.locator(`[data-testid="failed-row"][data-delivery-id="${id}"]`)
    await rowOf(telegramId).waitFor()
    expect(await section.getByTestId('failed-row').count()).toBe(2)
    expect(await rowOf(telegramId).textContent()).toContain('Telegram @DishubTegalBot')
    expect(await rowOf(telegramId).getByTestId('failed-error').textContent()).toContain('message.date is not a Unix time')
    // The error is text: its markup shows as written and makes no element.
    const question = rowOf(questionId)
    expect(await question.getByTestId('failed-error').textContent()).toBe('Unexpected token <b>x</b> in JSON at position 0')
    expect(await question.locator('b').count()).toBe(0)
    expect(await question.textContent()).toContain('WATY-7777')

    await question.getByTestId('failed-retry').click()
    expect(await section.getByTestId('failed-outcome').textContent()).toContain(`Kiriman #${questionId} diantrekan untuk diproses ulang`)
    await question.waitFor({ state: 'detached' })
    await eventually(() => one<{ n: number }>("SELECT count(*) AS n FROM items WHERE tracking_code = 'WATY-7777'").n === 1, WAIT, 'item made')

    // The Telegram update fails again: it comes back to the list with a second attempt.
    await rowOf(telegramId).getByTestId('failed-retry').click()
    await eventually(
      () => one<{ attempts: number; state: string }>('SELECT attempts, state FROM deliveries WHERE id = ?', telegramId).attempts === 2,
      WAIT,
      'second attempt',
    )
    await page.reload()
    await rowOf(telegramId).waitFor()
    expect((await rowOf(telegramId).locator('td').nth(2).textContent())?.trim()).toBe('2')
    expect(await section.getByTestId('failed-row').count()).toBe(1)
  }, 90_000)

  it('shows the newest 50 and the older ones on request', async () => {
    const channel = one<{ id: number }>("SELECT id FROM channels WHERE platform = 'telegram'").id
    const insert =
      web.server.db.$client.prepare(`INSERT INTO deliveries (platform, channel_id, dedupe_key, raw_body, state, attempts, error, received_at, processed_at)
      VALUES ('telegram', ?, ?, x'7b7d', 'failed', 1, ?, ?, ?)`)
    const before = one<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'failed'").n
    for (let i = 0; i < 60; i++) insert.run(channel, `telegram:e2e-page-${i}`, `rusak ${i}`, Date.now(), Date.now())
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    await page.goto('/pengaturan/kanal')
    const section = page.getByTestId('failed-deliveries')
    await section.getByTestId('failed-row').first().waitFor()
    expect(await section.getByTestId('failed-row').count()).toBe(50)
    expect(await section.getByTestId('failed-error').first().textContent()).toBe('rusak 59')
    await section.getByTestId('failed-older').click()
    await eventually(async () => (await section.getByTestId('failed-row').count()) === 60 + before, WAIT, 'older page shown')
    expect(await section.getByTestId('failed-older').count()).toBe(0)
  }, 90_000)
})
