// Seeds an empty database: always the OPDs; with `demo`, demo users and channels too.
// Runs only when the opds table is empty, so a real deployment's data is never touched.
import { eq, sql } from 'drizzle-orm'
import type { Db } from './client.ts'
import { calendars, channels, opds, slaPolicies, userOpds, users } from './schema.ts'
import { TEGAL_OPDS } from './seed-data/opds.ts'
import { alwaysOpenCalendar, defaultCalendar, type Platform, type Role, type SlaConditions } from '@tanggap/shared'

export const DEMO_PASSWORD = 'tanggap-demo'

export interface DemoUser {
  username: string
  displayName: string
  role: Role
  opds: string[]
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'superadmin', displayName: 'Superadmin Tanggap', role: 'superadmin', opds: [] },
  { username: 'prokompim', displayName: 'Supervisor Prokompim', role: 'supervisor', opds: ['prokompim'] },
  { username: 'dukcapil', displayName: 'Admin Disdukcapil', role: 'opd_admin', opds: ['disdukcapil'] },
  { username: 'dpupr', displayName: 'Admin DPUPR', role: 'opd_admin', opds: ['dpupr'] },
  { username: 'dishub', displayName: 'Admin Dishub', role: 'opd_admin', opds: ['dishub'] },
  { username: 'kominfo', displayName: 'Admin Diskominfo', role: 'opd_admin', opds: ['diskominfo', 'prokompim'] },
]

/** Demo secrets: the platform simulator signs its deliveries with these. Never used outside demo data. */
export const DEMO_SECRETS = {
  meta: { appSecret: 'demo-meta-app-secret', verifyToken: 'demo-meta-verify-token', accessToken: 'demo-meta-access-token' },
  telegram: { botToken: '7000000001:demo-telegram-bot-token', secretToken: 'demo-telegram-secret-token' },
  x: { consumerSecret: 'demo-x-consumer-secret', accessToken: 'demo-x-access-token' },
  tiktok: { clientSecret: 'demo-tiktok-client-secret', accessToken: 'demo-tiktok-access-token' },
  youtube: { accessToken: 'demo-youtube-access-token' },
}

/**
 * The settings key that marks a seeded demo channel. Its secrets are made up, so it must never call a
 * real platform: the server points it at the simulator when one is configured and leaves it idle otherwise.
 */
export const DEMO_SETTING = 'demo'

export interface DemoChannel {
  platform: Platform
  accountId: string
  name: string
  opd: string
  credentials?: Record<string, string>
}

export const DEMO_CHANNELS: DemoChannel[] = [
  { platform: 'website', accountId: 'tegalkab.go.id', name: 'Formulir Tanya Pemkab Tegal', opd: 'prokompim' },
  { platform: 'whatsapp', accountId: '106540352242922', name: 'WA Lapor Bupati Tegal', opd: 'prokompim', credentials: DEMO_SECRETS.meta },
  { platform: 'facebook', accountId: '102030405060708', name: 'Facebook Pemkab Tegal', opd: 'prokompim', credentials: DEMO_SECRETS.meta },
  { platform: 'instagram', accountId: '17841400000000001', name: 'Instagram @disdukcapil.tegalkab', opd: 'disdukcapil', credentials: DEMO_SECRETS.meta },
  { platform: 'instagram', accountId: '17841400000000002', name: 'Instagram @dpupr.tegalkab', opd: 'dpupr', credentials: DEMO_SECRETS.meta },
  { platform: 'telegram', accountId: '7000000001', name: 'Telegram @DishubTegalBot', opd: 'dishub', credentials: DEMO_SECRETS.telegram },
  { platform: 'tiktok', accountId: '7300000000000000001', name: 'TikTok @pemkabtegal', opd: 'diskominfo', credentials: DEMO_SECRETS.tiktok },
  { platform: 'x', accountId: '1400000000000000001', name: 'X @pemkabtegal', opd: 'diskominfo', credentials: DEMO_SECRETS.x },
  { platform: 'youtube', accountId: 'UCtegalkab000000000000', name: 'YouTube Pemkab Tegal', opd: 'diskominfo', credentials: DEMO_SECRETS.youtube },
]

export interface SeedOptions {
  demo: boolean
  hashPassword: (plain: string) => Promise<string>
  /** Seals channel secrets for storage (the server's AES-GCM with SECRET_KEY). */
  seal: (secrets: Record<string, string>) => string
}

const HOUR = 3600
/** A working day of the default calendar: 7.5 hours (Perpres 21/2023: 37.5 hours a week). */
const WORKING_DAY = 7.5 * HOUR

/**
 * The preset policies of design.md: direct messages 2 working hours (Kebumen's standard), public
 * comments 8 working hours, website questions 3 working days and resolution in 5 (SP4N-LAPOR!),
 * 24/7 units on the wall clock. Seeded once, when there are no calendars yet; editable after.
 */
export function seedSlaDefaults(db: Db, now = Date.now()): void {
  const { n } = db.select({ n: sql<number>`count(*)` }).from(calendars).get()!
  if (n > 0) return
  db.transaction((tx) => {
    const work = defaultCalendar()
    const open = alwaysOpenCalendar()
    const workId = tx
      .insert(calendars)
      .values({ name: 'Jam kerja Pemkab (WIB)', timeZone: work.timeZone, alwaysOpen: false, week: work.week, closedDays: work.closedDays, updatedAt: now })
      .returning({ id: calendars.id })
      .get().id
    const openId = tx
      .insert(calendars)
      .values({
        name: '24 jam (RSUD, BPBD, Damkar)',
        timeZone: open.timeZone,
        alwaysOpen: true,
        week: [[], [], [], [], [], [], []],
        closedDays: [],
        updatedAt: now,
      })
      .returning({ id: calendars.id })
      .get().id
    const ids = (codes: string[]) =>
      tx
        .select({ id: opds.id, code: opds.code })
        .from(opds)
        .all()
        .filter((o) => codes.includes(o.code))
        .map((o) => o.id)
    const policies: { name: string; conditions: SlaConditions; calendarId: number; first: number; next: number; resolution: number | null; pause?: boolean }[] =
      [
        {
          name: 'Unit 24 jam',
          conditions: { opdIds: ids(['rsud-soeselo', 'rsud-suradadi', 'bpbd']) },
          calendarId: openId,
          first: 2 * HOUR,
          next: 2 * HOUR,
          resolution: null,
        },
        { name: 'Pesan langsung', conditions: { kinds: ['dm'] }, calendarId: workId, first: 2 * HOUR, next: 2 * HOUR, resolution: null, pause: true },
        {
          name: 'Pertanyaan situs web',
          conditions: { kinds: ['form'] },
          calendarId: workId,
          first: 3 * WORKING_DAY,
          next: 3 * WORKING_DAY,
          resolution: 5 * WORKING_DAY,
          pause: true,
        },
        {
          name: 'Komentar dan sebutan publik',
          conditions: { kinds: ['comment', 'mention'] },
          calendarId: workId,
          first: 8 * HOUR,
          next: 8 * HOUR,
          resolution: null,
        },
        { name: 'Bawaan', conditions: {}, calendarId: workId, first: 8 * HOUR, next: 8 * HOUR, resolution: null },
      ]
    for (const [i, p] of policies.entries()) {
      tx.insert(slaPolicies)
        .values({
          name: p.name,
          position: i + 1,
          conditions: p.conditions,
          calendarId: p.calendarId,
          firstResponseSeconds: p.first,
          nextResponseSeconds: p.next,
          resolutionSeconds: p.resolution,
          pauseWhileWaiting: p.pause ?? false,
          updatedAt: now,
        })
        .run()
    }
  })
}

/** Returns true when it seeded, false when the database already had data. */
export async function seedIfEmpty(db: Db, opts: SeedOptions): Promise<boolean> {
  const { n } = db.select({ n: sql<number>`count(*)` }).from(opds).get()!
  if (n > 0) {
    seedSlaDefaults(db)
    return false
  }
  // Hash before the transaction: better-sqlite3 transactions must not await.
  const demoHash = opts.demo ? await opts.hashPassword(DEMO_PASSWORD) : ''
  db.transaction((tx) => {
    const idByCode = new Map<string, number>()
    for (const o of TEGAL_OPDS) {
      const row = tx
        .insert(opds)
        .values({
          code: o.code,
          name: o.name,
          shortName: o.shortName,
          kind: o.kind,
          parentId: o.parent ? idByCode.get(o.parent) : null,
          isTriage: o.isTriage ?? false,
          aliases: o.aliases ?? [],
        })
        .returning({ id: opds.id })
        .get()
      idByCode.set(o.code, row.id)
    }
    // Always one website channel, owned by the triage unit (Prokompim): the public form needs it.
    const chans = opts.demo ? DEMO_CHANNELS : DEMO_CHANNELS.filter((c) => c.platform === 'website')
    for (const c of chans) {
      tx.insert(channels)
        .values({
          platform: c.platform,
          accountId: c.accountId,
          name: c.name,
          opdId: idByCode.get(c.opd)!,
          credentials: c.credentials ? opts.seal(c.credentials) : null,
          // The website form calls no platform: it is the same channel with or without demo data.
          settings: opts.demo && c.platform !== 'website' ? { [DEMO_SETTING]: 'true' } : {},
        })
        .run()
    }
    if (!opts.demo) return
    for (const u of DEMO_USERS) {
      const row = tx
        .insert(users)
        .values({ username: u.username, displayName: u.displayName, role: u.role, passwordHash: demoHash })
        .returning({ id: users.id })
        .get()
      for (const code of u.opds)
        tx.insert(userOpds)
          .values({ userId: row.id, opdId: idByCode.get(code)! })
          .run()
    }
  })
  seedSlaDefaults(db)
  return true
}

export const opdIdByCode = (db: Db, code: string): number | undefined => db.select({ id: opds.id }).from(opds).where(eq(opds.code, code)).get()?.id
