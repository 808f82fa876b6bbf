// GET /api/channels: the channel list behind the board's filter. Every signed-in user may ask; an
// OPD admin gets only channels of their OPDs and those that carried items their OPDs hold, and
// nobody gets an account id or a secret.
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelOption } from '@tanggap/shared'
import { askQuestion, createTestApp, signIn, type TestApp } from '../helpers/app.ts'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})

async function setup() {
  const t = await createTestApp()
  apps.push(t)
  const get = async (username: string) => {
    const res = await t.app.inject({ url: '/api/channels', headers: (await signIn(t.app, username)).headers })
    expect(res.statusCode).toBe(200)
    return res.json() as ChannelOption[]
  }
  return { t, get }
}

describe('GET /api/channels', () => {
  it('gives supervisors and superadmins every channel, without account ids or secrets', async () => {
    const { t, get } = await setup()
    const all = t.db.$client.prepare('SELECT id FROM channels').all() as { id: number }[]
    for (const who of ['prokompim', 'superadmin']) {
      const list = await get(who)
      expect(list.map((c) => c.id).sort((a, b) => a - b)).toEqual(all.map((c) => c.id).sort((a, b) => a - b))
      for (const c of list) expect(Object.keys(c).sort((a, b) => a.localeCompare(b))).toEqual(['id', 'name', 'opd', 'platform'])
      expect(JSON.stringify(list)).not.toMatch(/accountId|credentials|demo-meta|17841400000000001/)
    }
  })

  it('gives an OPD admin only their OPD’s channels, plus channels that carried items now with their OPD', async () => {
    const { t, get } = await setup()
    const dukcapil = await get('dukcapil')
    expect(dukcapil.map((c) => c.name)).toEqual(['Instagram @disdukcapil.tegalkab'])
    expect(dukcapil.every((c) => c.opd.code === 'disdukcapil')).toBe(true)
    const dpupr = await get('dpupr')
    expect(dpupr.map((c) => c.name)).toEqual(['Instagram @dpupr.tegalkab'])

    // A website question routed to Disdukcapil: the form's channel (owned by the triage unit) now shows for them, not for DPUPR.
    expect((await askQuestion(t.app, { name: 'Ani', text: 'Bagaimana cara membuat KTP elektronik?', topic: 'adminduk' })).statusCode).toBe(201)
    await t.jobs.idle()
    expect((await get('dukcapil')).map((c) => c.platform).sort((a, b) => a.localeCompare(b))).toEqual(['instagram', 'website'])
    expect((await get('dpupr')).map((c) => c.platform)).toEqual(['instagram'])
    // An admin of two OPDs gets both OPDs' channels.
    const kominfo = await get('kominfo')
    expect(new Set(kominfo.map((c) => c.opd.code))).toEqual(new Set(['diskominfo', 'prokompim']))
  })

  it('answers 401 to a visitor who is not signed in', async () => {
    const { t } = await setup()
    const res = await t.app.inject({ url: '/api/channels' })
    expect(res.statusCode).toBe(401)
  })
})
