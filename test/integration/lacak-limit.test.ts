// /lacak/:code answers 200 for a known tracking code and 404 for an unknown one, so it is limited
// per IP like the status API (120 a minute): past that, known and unknown codes alike answer 429
// (the JSON error body) and guessing codes through the page costs as much as through the API.
// Unknown paths and the app's client routes (the not-found handler) are limited too, more loosely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let code: string

beforeAll(async () => {
  t = await createTestApp()
  code = (await askQuestion(t.app, { name: 'Wati', text: 'Kapan jalan desa kami diperbaiki?', topic: 'jalan' })).json().trackingCode
  await t.jobs.idle()
})
afterAll(() => t?.close())

const get = (url: string, remoteAddress: string) => t.app.inject({ url, remoteAddress })

describe('/lacak/:code rate limit', () => {
  it('answers known and unknown codes until 120 a minute from one address, then 429 for both', async () => {
    const ip = '203.0.113.10'
    const statuses: number[] = []
    for (let i = 0; i < 120; i++) statuses.push((await get(`/lacak/${i % 2 ? code : `ZZZZ-${String(i).padStart(4, '2')}`}`, ip)).statusCode)
    expect(statuses.filter((s) => s === 200)).toHaveLength(60)
    expect(statuses.filter((s) => s === 404)).toHaveLength(60)

    const known = await get(`/lacak/${code}`, ip)
    const unknown = await get('/lacak/ZZZZ-ZZZZ', ip)
    for (const res of [known, unknown]) {
      expect(res.statusCode).toBe(429)
      expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) })
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    }
    expect(known.body.replace(/"requestId":"[^"]*"/, '')).toBe(unknown.body.replace(/"requestId":"[^"]*"/, ''))
  })

  it('leaves other addresses alone', async () => {
    const res = await get(`/lacak/${code}`, '203.0.113.11')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
  })
})

describe('not-found handler rate limit', () => {
  it('serves app pages and unknown-path 404s until 600 a minute from one address, then 429', async () => {
    const ip = '203.0.113.20'
    const statuses = new Map<number, number>()
    for (let i = 0; i < 600; i++) {
      const status = (await get(i % 2 ? '/kotak-masuk' : `/api/no-such-route-${i}`, ip)).statusCode
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 300, 404: 300 })
    const page = await get('/kotak-masuk', ip)
    expect(page.statusCode).toBe(429)
    expect(page.json().error.code).toBe('RATE_LIMITED')
    expect((await get('/kotak-masuk', '203.0.113.21')).statusCode).toBe(200)
  })
})
