// Browser tests: the real app (web/dist served by the server) in Debian's Chromium, driven by playwright-core.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { DEMO_PASSWORD } from '@tanggap/db/seed'
import type { TestAppOptions } from './app.ts'
import { startTestServer, type TestServer } from './server.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** Generous: the machine may be loaded. Waits end as soon as the condition holds. */
export const WAIT = 20_000

export interface BrowserSession {
  server: TestServer
  /** A fresh browser profile (own cookies and localStorage) with one page; page errors are logged. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>
  close(): Promise<void>
}

/** Builds web/ once if web/dist is missing. */
function ensureWebBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html')
  if (!existsSync(index)) execSync('npm run build -w web', { cwd: ROOT, stdio: 'inherit' })
  if (!existsSync(index)) throw new Error('web/dist is missing and `npm run build -w web` did not produce it')
}

/** Starts the app on a random port and a headless Chromium pointed at it. */
export async function openBrowser(opts: TestAppOptions = {}): Promise<BrowserSession> {
  ensureWebBuilt()
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with apt-get install -y chromium`)
  const server = await startTestServer(opts)
  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  } catch (err) {
    await server.close()
    throw err
  }
  const contexts: BrowserContext[] = []
  return {
    server,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ baseURL: server.url, viewport })
      contexts.push(context)
      context.setDefaultTimeout(WAIT)
      const page = await context.newPage()
      page.on('pageerror', (err) => console.error('page error:', err))
      return page
    },
    async close() {
      for (const c of contexts.splice(0)) await c.close().catch(() => {})
      await browser.close()
      await server.close()
    },
  }
}

/** Waits until the page's live connection (/ws) is open. */
export const waitLive = (page: Page) => page.locator('[data-testid="live-state"][data-live="open"]').waitFor()

/** Signs in through /masuk with the demo password and waits for the inbox and its live connection. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/masuk')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(DEMO_PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/\/kotak-masuk$/)
  await page.getByTestId('item-list').waitFor({ state: 'attached' })
  // Listening before anything is sent (the list also refetches on every (re)connect).
  await waitLive(page)
}

/** Marks the page's window; stillNoReload() tells whether the same window is still there. */
export const markNoReload = (page: Page) =>
  page.evaluate(() => {
    ;(window as unknown as { __noReload: boolean }).__noReload = true
  })
export const stillNoReload = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)
