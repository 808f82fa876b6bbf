// Storing arriving deliveries: group commit, redeliveries, another process holding the write lock,
// one bad delivery among good ones, and the upgrade of an existing database to the lean indexes.
import { afterEach, describe, expect, it } from 'vitest'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, openNonBlocking, openTestDb, type Sqlite } from '@tanggap/db'
import { deliveryIntake, type StoredDelivery } from '../../server/src/modules/deliveries/intake.ts'
import type { NewDelivery } from '../../server/src/modules/deliveries/deliveries.repo.ts'
import { AppError } from '../../server/src/lib/errors.ts'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

function setup(lockWaitMs?: number, gatherMs?: number) {
  const t = openTestDb()
  const sqlite = openNonBlocking(t.file)!
  cleanups.push(
    () => t.close(),
    () => sqlite.close(),
  )
  const announced: number[][] = []
  const warnings: string[] = []
  const intake = deliveryIntake({
    sqlite,
    onStored: async (ids) => void announced.push(ids),
    log: { warn: (_o, msg) => void warnings.push(msg ?? ''), error: (_o, msg) => void warnings.push(msg ?? '') },
    lockWaitMs,
    gatherMs,
  })
  const count = () => (t.db.$client.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n
  return { t, intake, announced, warnings, count }
}

const delivery = (key: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  platform: 'facebook',
  channelId: null,
  dedupeKey: key,
  rawBody: Buffer.from(`{"object":"page","k":"${key}"}`),
  receivedAt: Date.now(),
  ...extra,
})

/** Holds the write lock through another connection, as the worker process does during a batch. */
function holdLock(file: string): { release: () => void; other: Sqlite } {
  const other = openNonBlocking(file)!
  other.prepare('BEGIN IMMEDIATE').run()
  other.prepare("INSERT INTO deliveries (platform, dedupe_key, raw_body, received_at) VALUES ('website', 'held', x'7b7d', 0)").run()
  return {
    other,
    release: () => {
      other.prepare('COMMIT').run()
      other.close()
    },
  }
}

describe('delivery intake', () => {
  it('stores what arrives in one turn in one commit and announces the new ids once, in order', async () => {
    const { intake, announced, count } = setup()
    const stored = await Promise.all(Array.from({ length: 40 }, (_, i) => intake.store(delivery(`k${i}`))))
    expect(count()).toBe(40)
    expect(stored.every((s) => s.created)).toBe(true)
    expect(announced).toEqual([stored.map((s) => s.id)])
    expect(stored.map((s) => s.id)).toEqual([...stored.map((s) => s.id)].sort((a, b) => a - b))
  })

  it('answers a redelivery, in the same turn or later, with the first delivery’s id and announces nothing for it', async () => {
    const { intake, announced, count } = setup()
    const [a, b] = await Promise.all([intake.store(delivery('same')), intake.store(delivery('same'))])
    const c = await intake.store(delivery('same'))
    expect(a).toMatchObject({ created: true })
    expect(b).toEqual({ id: a!.id, created: false, trackingCode: null, bodyHash: null })
    expect(c).toEqual({ id: a!.id, created: false, trackingCode: null, bodyHash: null })
    expect(count()).toBe(1)
    expect(announced).toEqual([[a!.id]])
  })

  it('gathers the ids of several commits into one announcement when asked, and hands over what is gathered on close', async () => {
    const { intake, announced } = setup(undefined, 30)
    const a = await intake.store(delivery('g1'))
    const b = await intake.store(delivery('g2'))
    expect(announced).toEqual([])
    await new Promise((r) => setTimeout(r, 60))
    expect(announced).toEqual([[a.id, b.id]])
    const c = await intake.store(delivery('g3'))
    await intake.close()
    expect(announced).toEqual([[a.id, b.id], [c.id]])
  })

  it('keeps the event loop running while another process holds the write lock, and stores once it is free', async () => {
    const { t, intake, count } = setup()
    const lock = holdLock(t.file)
    let ticks = 0
    const ticker = setInterval(() => ticks++, 2)
    const pending = Promise.all([intake.store(delivery('a')), intake.store(delivery('b'))])
    await new Promise((r) => setTimeout(r, 60))
    // Nothing is written while the lock is held, but timers keep firing: the thread is not stuck in SQLite.
    expect(ticks).toBeGreaterThan(5)
    expect(count()).toBe(0)
    lock.release()
    const stored = await pending
    clearInterval(ticker)
    expect(stored.map((s) => s.created)).toEqual([true, true])
    expect(count()).toBe(3)
  })

  it('refuses with 503 after waiting too long for the lock, and stores nothing of it', async () => {
    const { t, intake, count, warnings } = setup(50)
    const lock = holdLock(t.file)
    const result = await intake.store(delivery('late')).then(
      () => null,
      (err: unknown) => err,
    )
    lock.release()
    expect(result).toBeInstanceOf(AppError)
    expect((result as AppError).code).toBe('UNAVAILABLE')
    expect(count()).toBe(1)
    expect(warnings.some((w) => w.includes('lock'))).toBe(true)
  })

  it('fails only the bad delivery of a batch and stores the others', async () => {
    const { intake, count } = setup()
    await intake.store(delivery('first', { platform: 'website', trackingCode: 'TGL-AAAA-BBBB' }))
    const results = await Promise.allSettled([
      intake.store(delivery('good-1')),
      // Another delivery with a tracking code already taken breaks a unique index.
      intake.store(delivery('clash', { platform: 'website', trackingCode: 'TGL-AAAA-BBBB' })),
      intake.store(delivery('good-2')),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[0] as PromiseFulfilledResult<StoredDelivery>).value.created).toBe(true)
    expect(count()).toBe(3)
  })
})

describe('upgrading an existing database', () => {
  it('keeps deliveries and the messages that point at them, and goes on numbering after them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tanggap-migrate-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    // The migrations as they were before the lean deliveries indexes (0003 and what came after).
    const before = join(dir, 'migrations')
    cpSync(join(process.cwd(), 'db', 'migrations'), before, { recursive: true })
    const later = (name: string) => Number(name.slice(0, 4)) >= 3
    for (const f of readdirSync(before)) if (later(f)) rmSync(join(before, f))
    for (const f of readdirSync(join(before, 'meta'))) if (later(f)) rmSync(join(before, 'meta', f))
    const journal = JSON.parse(readFileSync(join(before, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
    journal.entries = journal.entries.filter((e) => !later(e.tag))
    writeFileSync(join(before, 'meta', '_journal.json'), JSON.stringify(journal))

    const file = join(dir, 'old.db')
    const old = openNonBlocking(file)!
    old.pragma('journal_mode = WAL')
    migrate(drizzle(old), { migrationsFolder: before })
    old.exec(`
      INSERT INTO opds (code, name, short_name, kind) VALUES ('X', 'Dinas X', 'X', 'dinas');
      INSERT INTO channels (platform, account_id, name, opd_id) VALUES ('website', 'web', 'Web', 1);
      INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, received_at, state) VALUES
        ('website', 1, 'w1', 'TGL-AAAA-0001', x'7b7d', 1, 'processed'),
        ('website', 1, 'w2', NULL, x'7b7d', 2, 'pending');
      INSERT INTO items (channel_id, opd_id, platform, kind, external_thread_id, citizen_name, preview, first_message_at, last_message_at, created_at, updated_at)
        VALUES (1, 1, 'website', 'website', 'TGL-AAAA-0001', 'Rina', 'Halo', 1, 1, 1, 1);
      INSERT INTO messages (item_id, platform, external_id, direction, author_name, author_external_id, text, sent_at, delivery_id)
        VALUES (1, 'website', 'TGL-AAAA-0001', 'in', 'Rina', '', 'Halo', 1, 1);
    `)
    old.close()

    const db = openDb(file)
    cleanups.push(() => db.$client.close())
    const sql = db.$client
    expect(sql.prepare('SELECT id, dedupe_key AS k, state FROM deliveries ORDER BY id').all()).toEqual([
      { id: 1, k: 'w1', state: 'processed' },
      { id: 2, k: 'w2', state: 'pending' },
    ])
    expect(sql.prepare('SELECT delivery_id AS d FROM messages').get()).toEqual({ d: 1 })
    expect(sql.pragma('foreign_key_check')).toEqual([])
    expect(sql.pragma('foreign_keys', { simple: true })).toBe(1)
    // The pending list comes from the partial index.
    const plan = sql.prepare("EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE state = 'pending' AND id >= ? ORDER BY id").all(0) as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('deliveries_pending')
    const next = sql.prepare("INSERT INTO deliveries (platform, dedupe_key, raw_body, received_at) VALUES ('website', 'w3', x'7b7d', 3)").run()
    expect(Number(next.lastInsertRowid)).toBe(3)
    expect(() =>
      sql
        .prepare("INSERT INTO deliveries (platform, dedupe_key, tracking_code, raw_body, received_at) VALUES ('website', 'w4', 'TGL-AAAA-0001', x'7b7d', 4)")
        .run(),
    ).toThrow(/UNIQUE/)
  })
})
