// The built web app works under its Content-Security-Policy in real Chromium: signing in, the inbox
// with its live connection (/ws through connect-src 'self'), the board, channel settings, the question form and the
// status page, and the API docs, all without one CSP violation. An inline script is refused, which
// shows the policy is enforced and the violations are seen.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, signIn, waitLive, type BrowserSession } from '../helpers/browser.ts'

let web: BrowserSession

beforeAll(async () => {
  web = await openBrowser()
})

afterAll(async () => {
  await web?.close()
})

interface Watched {
  page: Page
  /** CSP violations ("directive blocked-uri") and console errors, across navigations. */
  problems: string[]
}

/** A fresh page that records every securitypolicyviolation event and console error. */
async function watchedPage(): Promise<Watched> {
  const page = await web.newPage()
  const problems: string[] = []
  await page.exposeFunction('__reportViolation', (v: string) => problems.push(`CSP: ${v}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __reportViolation(v: string): Promise<void> }).__reportViolation(`${e.effectiveDirective} ${e.blockedURI}`)
    })
  })
  page.on('console', (msg) => {
    // An HTTP error status is an answer (the app asks for its session before sign-in), not a refusal.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource: the server responded with a status of'))
      problems.push(`console: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  return { page, problems }
}

describe('Content-Security-Policy in the browser', () => {
  it('an OPD admin signs in, and the inbox and its live connection work with no violation', async () => {
    const { page, problems } = await watchedPage()
    const res = await page.goto('/masuk')
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'")
    // Waits for the inbox and for the websocket to be open.
    await signIn(page, 'dukcapil')
    expect(problems).toEqual([])
  }, 60_000)

  it('a supervisor’s board loads live with no violation', async () => {
    const { page, problems } = await watchedPage()
    await signIn(page, 'prokompim')
    await page.getByTestId('nav-board').click()
    await page.waitForURL(/\/papan$/)
    await page.getByTestId('board-tiles').waitFor()
    await waitLive(page)
    expect(problems).toEqual([])
  }, 60_000)

  it('the superadmin’s channel settings load with no violation', async () => {
    const { page, problems } = await watchedPage()
    await signIn(page, 'superadmin')
    await page.getByTestId('nav-channels').click()
    await page.waitForURL(/\/pengaturan\/kanal$/)
    await page.getByTestId('channel-list').waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  it('a citizen asks a question and opens its status page with no violation', async () => {
    const { page, problems } = await watchedPage()
    await page.goto('/tanya')
    await page.getByTestId('question-name').fill('Sari')
    await page.getByTestId('question-text').fill('Bagaimana cara mengurus akta kelahiran?')
    await page.getByTestId('question-submit').click()
    const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? ''
    expect(code).not.toBe('')
    await page.goto(`/lacak/${code}`)
    await page.getByTestId('status-question').filter({ hasText: 'akta kelahiran' }).waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  it('the API docs render under their own policy with no violation', async () => {
    const { page, problems } = await watchedPage()
    await page.goto('/docs')
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Tanggap API' }).waitFor()
    await page.locator('.opblock').first().waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  it('refuses an inline script, and the refusal is seen', async () => {
    const { page, problems } = await watchedPage()
    await page.goto('/masuk')
    await page.getByTestId('login-username').waitFor()
    const ran = await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inline = 1'
      document.head.append(s)
      return (window as unknown as { __inline?: number }).__inline ?? null
    })
    expect(ran).toBeNull()
    await expect.poll(() => problems.some((p) => p.startsWith('CSP: script-src-elem inline'))).toBe(true)
  }, 60_000)
})
