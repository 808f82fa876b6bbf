// Browser tests of the channel settings and of what connectors bring to the inbox, on the real app
// (web/dist served by the server) in Debian's Chromium: a superadmin adds a channel with secrets and
// sees its webhook URL while the secrets never reach the page; an OPD admin cannot open the
// settings; the thread marks edited and deleted messages and the reply box shows the reply window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CHANNELS, DEMO_SECRETS } from '@tanggap/db/seed'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import { openBrowser, signIn, type BrowserSession } from '../helpers/browser.ts'

const PUBLIC_URL = 'https://tanggap.tegalkab.go.id'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser({ env: { PUBLIC_URL } })
})

afterAll(async () => {
  await web?.close()
})

/** Posts a Meta webhook body signed with the demo app secret, as Meta would. */
async function postMeta(body: unknown): Promise<void> {
  const raw = JSON.stringify(body)
  const res = await fetch(`${web.server.url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(DEMO_SECRETS.meta.appSecret, raw) },
    body: raw,
  })
  expect(res.status).toBe(200)
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

describe('channel settings e2e', () => {
  it('a superadmin adds a channel with secrets and sees it with its webhook URL; the secrets never reach the page', async () => {
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    await page.getByTestId('nav-channels').click()
    await page.waitForURL(/\/pengaturan\/kanal$/)
    await page.getByTestId('channel-list').waitFor()

    const appSecret = `app-secret-${unique()}`
    const accessToken = `EAAG-access-${unique()}`
    const name = `Instagram @dinkes.tegalkab ${unique()}`

    await page.getByTestId('channel-add').click()
    const form = page.getByTestId('channel-form')
    await form.getByTestId('channel-platform').selectOption('instagram')
    await form.getByTestId('channel-account').fill('17841400000000999')
    await form.getByTestId('channel-name').fill(name)
    await form.locator('[data-testid="channel-opd"] option', { hasText: 'Dinas Kesehatan' }).first().waitFor({ state: 'attached' })
    await form.getByTestId('channel-opd').selectOption({ label: 'Dinas Kesehatan' })
    await form.getByTestId('secret-appSecret').fill(appSecret)
    await form.getByTestId('secret-accessToken').fill(accessToken)
    expect(await form.getByTestId('secret-accessToken').getAttribute('type')).toBe('password')
    // Typed, not yet saved: still not part of the page's HTML.
    expect(await page.content()).not.toContain(accessToken)
    await form.getByTestId('channel-save').click()

    const card = page.getByTestId('channel-card').filter({ hasText: name })
    await card.waitFor()
    await page.getByTestId('channels-notice').waitFor()
    expect((await card.getByTestId('channel-card-account').textContent())?.trim()).toBe('17841400000000999')
    expect((await card.getByTestId('channel-webhook-url').textContent())?.trim()).toBe(`${PUBLIC_URL}/webhooks/meta`)
    const verifyToken = (await card.getByTestId('channel-verify-token').textContent())?.trim() ?? ''
    expect(verifyToken).toMatch(/^[A-Za-z0-9_-]{32,}$/)
    expect(await card.getByTestId('channel-secrets-set').textContent()).toBe('accessToken, appSecret, verifyToken')
    expect(await card.textContent()).toContain('Dinas Kesehatan')
    expect(await card.textContent()).toContain('Meta for Developers')

    let html = await page.content()
    expect(html).not.toContain(appSecret)
    expect(html).not.toContain(accessToken)

    // Editing shows which secrets are saved ("tersimpan"); leaving them empty keeps them.
    await card.getByTestId('channel-edit').click()
    const edit = page.getByTestId('channel-form')
    await edit.getByTestId('secret-saved-accessToken').waitFor()
    expect(await edit.getByTestId('secret-saved-accessToken').textContent()).toBe('tersimpan')
    expect(await edit.getByTestId('secret-accessToken').inputValue()).toBe('')
    await edit.getByTestId('channel-active').uncheck()
    await edit.getByTestId('channel-save').click()
    const saved = page.getByTestId('channel-card').filter({ hasText: name })
    await saved.locator('[data-testid="channel-active-badge"]', { hasText: 'Nonaktif' }).waitFor()
    expect(await saved.getByTestId('channel-secrets-set').textContent()).toBe('accessToken, appSecret, verifyToken')

    // A reload lists it from the server, still without the secrets.
    await page.reload()
    await page.getByTestId('channel-card').filter({ hasText: name }).waitFor()
    html = await page.content()
    expect(html).not.toContain(appSecret)
    expect(html).not.toContain(accessToken)
    for (const v of [
      DEMO_SECRETS.meta.appSecret,
      DEMO_SECRETS.meta.accessToken,
      DEMO_SECRETS.telegram.botToken,
      DEMO_SECRETS.x.consumerSecret,
      DEMO_SECRETS.tiktok.clientSecret,
      DEMO_SECRETS.youtube.accessToken,
    ]) {
      expect(html).not.toContain(v)
    }

    // The website form has no connection test yet: the button says so.
    const website = page.locator('[data-testid="channel-card"][data-platform="website"]')
    await website.getByTestId('channel-test').click()
    const result = website.getByTestId('channel-test-result')
    await result.waitFor()
    expect(await result.getAttribute('data-ok')).toBe('false')
    expect(await result.textContent()).toContain('belum tersedia')
  }, 60_000)

  it('an OPD admin has no link to the settings and cannot open them', async () => {
    const page = await web.newPage({ width: 390, height: 800 })
    await signIn(page, 'dukcapil')
    expect(await page.getByTestId('nav-channels').count()).toBe(0)
    await page.goto('/pengaturan/kanal')
    const blocked = page.getByTestId('not-allowed')
    await blocked.waitFor()
    expect(await blocked.textContent()).toContain('hanya untuk superadmin')
    expect(await page.getByTestId('channel-list').count()).toBe(0)
    expect(await page.getByTestId('channel-form').count()).toBe(0)
  }, 30_000)
})

describe('what connectors bring to the thread', () => {
  const wa = DEMO_CHANNELS.find((c) => c.platform === 'whatsapp')!
  const fb = DEMO_CHANNELS.find((c) => c.platform === 'facebook')!

  const waMessage = (waId: string, name: string, text: string, at: number) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281200000000', phone_number_id: wa.accountId },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [{ from: waId, id: `wamid.${unique()}`, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  })

  const fbComment = (verb: 'add' | 'edited' | 'remove', commentId: string, text: string, at: number) => ({
    object: 'page',
    entry: [
      {
        id: fb.accountId,
        time: Math.floor(at / 1000),
        changes: [
          {
            field: 'feed',
            value: {
              item: 'comment',
              verb,
              comment_id: commentId,
              post_id: `${fb.accountId}_777`,
              parent_id: `${fb.accountId}_777`,
              from: { id: '5550002', name: 'Rina Warga' },
              created_time: Math.floor(at / 1000),
              ...(verb === 'remove' ? {} : { message: text }),
            },
          },
        ],
      },
    ],
  })

  it('shows how long a WhatsApp reply is still allowed, and disables the box once the 24 hours have passed', async () => {
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    const fresh = `Jalan di depan SD rusak parah ${unique()}`
    const stale = `Kapan bantuan sosial cair? ${unique()}`
    await postMeta(waMessage('6281211110001', 'Pak Darto', fresh, Date.now() - 30 * 60_000))
    await postMeta(waMessage('6281211110002', 'Bu Sari', stale, Date.now() - 25 * 3_600_000))

    await page.getByTestId('item-row').filter({ hasText: fresh }).click()
    const open = page.getByTestId('item-detail').getByTestId('reply-window')
    await open.waitFor()
    expect(await open.getAttribute('data-state')).toBe('open')
    expect(await open.textContent()).toMatch(/^Balasan bebas masih bisa dikirim 23 jam (2[0-9]|30) menit lagi \(WhatsApp: 24 jam sejak pesan terakhir warga\)$/)
    expect(await page.getByTestId('reply-text').isEnabled()).toBe(true)

    await page.getByTestId('item-row').filter({ hasText: stale }).click()
    const closed = page.locator('[data-testid="reply-window"][data-state="closed"]')
    await closed.waitFor()
    expect(await closed.textContent()).toContain('Jendela 24 jam sudah lewat: WhatsApp hanya mengizinkan pesan templat')
    expect(await page.getByTestId('reply-text').isDisabled()).toBe(true)
    expect(await page.getByTestId('reply-submit').isDisabled()).toBe(true)
  }, 60_000)

  it('marks an edited comment with "(diedit …)" and a deleted one with the note and its text struck through', async () => {
    const page = await web.newPage()
    await signIn(page, 'superadmin')
    const now = Date.now()
    const original = `Lampu jalan mati di Slawi ${unique()}`
    const edited = `${original} (sudah tiga hari)`
    const commentId = `777_${unique()}`
    const removedText = `Komentar yang nanti dihapus ${unique()}`
    const removedId = `777_${unique()}`
    await postMeta(fbComment('add', commentId, original, now - 20 * 60_000))
    await postMeta(fbComment('add', removedId, removedText, now - 19 * 60_000))
    await postMeta(fbComment('edited', commentId, edited, now - 10 * 60_000))
    await postMeta(fbComment('remove', removedId, '', now - 5 * 60_000))

    await page.getByTestId('item-row').filter({ hasText: original }).first().click()
    const detail = page.getByTestId('item-detail')
    const editedMsg = detail.locator('[data-testid="thread-message"][data-edited="true"]').filter({ hasText: edited })
    await editedMsg.waitFor()
    expect(await editedMsg.getByTestId('message-edited').textContent()).toMatch(/^\(diedit .+ WIB\)$/)
    // Comments on Facebook have no reply window.
    expect(await detail.getByTestId('reply-window').count()).toBe(0)

    await page.getByTestId('item-row').filter({ hasText: removedText }).first().click()
    const deletedMsg = page.getByTestId('item-detail').locator('[data-testid="thread-message"][data-deleted="true"]')
    await deletedMsg.waitFor()
    expect(await deletedMsg.getByTestId('message-deleted').textContent()).toContain('Pesan ini dihapus oleh pengirim')
    expect((await deletedMsg.locator('del').textContent())?.trim()).toBe(removedText)
  }, 60_000)
})
