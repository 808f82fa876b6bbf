// Hostile and mistaken input gets a clear 4xx in one error shape, and nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: SignedIn
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '16384' } })
  admin = await signIn(t.app, 'dukcapil')
})
afterAll(() => t.close())

const deliveries = () => (t.db.$client.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n

describe('bad input', () => {
  it('answers 413 to an oversized body and stores nothing', async () => {
    const before = deliveries()
    const res = await askQuestion(t.app, { name: 'X', text: 'a'.repeat(20_000) })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', requestId: expect.any(String) })
    expect(deliveries()).toBe(before)
  })

  it('answers 400 naming every wrong field', async () => {
    const res = await askQuestion(t.app, { name: 42, text: ['not', 'text'], surprise: true })
    expect(res.statusCode).toBe(400)
    const { error } = res.json()
    expect(error.code).toBe('VALIDATION')
    expect(error.fields).toEqual(expect.arrayContaining(['name', 'text', 'surprise']))
  })

  it('answers 400 for a question that is too long, and for an unknown topic', async () => {
    const long = await askQuestion(t.app, { name: 'Ani', text: 'x'.repeat(4001) })
    expect(long.statusCode).toBe(400)
    expect(long.json().error.fields).toEqual(['text'])
    const topic = await askQuestion(t.app, { name: 'Ani', text: 'Pertanyaan yang cukup panjang', topic: 'astrologi' })
    expect(topic.statusCode).toBe(400)
    expect(topic.json().error.fields).toEqual(['topic'])
  })

  it('answers 400 to malformed JSON without echoing parser internals', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/questions',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Ani", "text": ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION')
  })

  it('refuses a state change without the CSRF token with 403', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/items/1/replies', headers: { cookie: admin.cookie }, payload: { text: 'Halo' } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF')
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: admin.cookie, 'x-csrf-token': 'guess' }, payload: {} })
    expect(wrong.statusCode).toBe(403)
  })

  it('answers 401 to signed-out requests', async () => {
    const res = await t.app.inject({ url: '/api/items' })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('UNAUTHENTICATED')
  })

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrongPassword = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'dukcapil', password: 'salah' } })
    const unknownUser = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'tidakada', password: 'tanggap-demo' } })
    expect(wrongPassword.statusCode).toBe(401)
    expect(unknownUser.statusCode).toBe(401)
    const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, requestId: undefined })
    expect(strip(wrongPassword.json())).toEqual(strip(unknownUser.json()))
    expect(wrongPassword.cookies).toHaveLength(0)
  })

  it('answers 404 to an unknown tracking code, on the API and on the status page', async () => {
    const api = await t.app.inject({ url: '/api/public/questions/ZZZZ-ZZZZ' })
    expect(api.statusCode).toBe(404)
    expect(api.json().error.code).toBe('NOT_FOUND')
    const page = await t.app.inject({ url: '/lacak/ZZZZ-ZZZZ' })
    expect(page.statusCode).toBe(404)
    expect(page.headers['content-type']).toContain('text/html')
    const junk = await t.app.inject({ url: '/api/public/questions/%3Cscript%3E' })
    expect(junk.statusCode).toBe(404)
  })

  it('answers 404 in the error shape for unknown API routes', async () => {
    for (const url of ['/api/nothing-here', '/api', '/api?x=1', '/api/nothing?x=1', '/ws/x']) {
      const res = await t.app.inject({ url })
      expect(res.statusCode, url).toBe(404)
      expect(res.json().error.code, url).toBe('NOT_FOUND')
    }
  })

  it('drops a question whose honeypot is filled, answering like a success', async () => {
    const before = deliveries()
    const res = await askQuestion(t.app, { name: 'Bot', text: 'Buy cheap followers now', website: 'http://spam.example' })
    expect(res.statusCode).toBe(201)
    expect(deliveries()).toBe(before)
  })
})

describe('rate limits', () => {
  it('limits public questions per IP with 429', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_QUESTIONS_PER_MINUTE: '2' } })
    const ask = () => askQuestion(limited.app, { name: 'Ani', text: 'Pertanyaan yang cukup panjang' })
    expect((await ask()).statusCode).toBe(201)
    expect((await ask()).statusCode).toBe(201)
    const third = await ask()
    expect(third.statusCode).toBe(429)
    expect(third.json().error.code).toBe('RATE_LIMITED')
    await limited.close()
  })

  it('limits sign-in attempts with 429', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_LOGINS_PER_MINUTE: '3' } })
    const codes: number[] = []
    for (let i = 0; i < 4; i++)
      codes.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'dukcapil', password: 'x' } })).statusCode)
    expect(codes).toEqual([401, 401, 401, 429])
    await limited.close()
  })
})
