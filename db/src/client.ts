// The only place that knows better-sqlite3: opens a database file, sets the pragmas and applies
// the committed migrations.
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as schema from './schema.ts'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }
export type Sqlite = Database.Database

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations')

export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL in WAL mode keeps the database consistent after a crash; only the last commits
  // before a power loss can be lost.
  sqlite.pragma('synchronous = NORMAL')
  // Web and worker processes share the file in redis mode.
  sqlite.pragma('busy_timeout = 5000')
  cacheStatements(sqlite)
  const db = drizzle(sqlite, { schema }) as Db
  // Our transactions all write. Taking the write lock at BEGIN (IMMEDIATE) lets a process wait its
  // turn (busy_timeout) when another process of the same file writes; a deferred transaction that
  // reads first and then writes would fail at once with SQLITE_BUSY(_SNAPSHOT) instead.
  const transaction = db.transaction.bind(db)
  db.transaction = ((fn, config) => transaction(fn, { behavior: 'immediate', ...config })) as Db['transaction']
  migrateWithoutForeignKeys(sqlite, () => migrate(db, { migrationsFolder }))
  return db
}

/**
 * A second connection to a database `openDb` has opened, for a writer that must never stall its
 * thread: with no busy wait, a write lock held by another process fails at once with SQLITE_BUSY
 * and the caller tries again later. None for an in-memory database (a second connection would see
 * another database).
 */
export function openNonBlocking(file: string): Sqlite | null {
  if (file === ':memory:') return null
  const sqlite = new Database(file)
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 0')
  // Checkpoints (copying the log into the database file, with an fsync) are left to the main
  // connection, whose commits come from jobs, not from requests waiting for an answer; this one
  // checkpoints only should the log grow ten times past the usual point.
  sqlite.pragma('wal_autocheckpoint = 10000')
  return sqlite
}

/**
 * Migrations that rebuild a table (SQLite's only way to change a column or a constraint) must run
 * with foreign keys off, and drizzle runs them inside a transaction, where that pragma is ignored:
 * so it is set around the migrator, and the keys are checked before they are switched on.
 */
function migrateWithoutForeignKeys(sqlite: Database.Database, run: () => void): void {
  sqlite.pragma('foreign_keys = OFF')
  run()
  const broken = sqlite.pragma('foreign_key_check') as unknown[]
  if (broken.length) throw new Error(`migration left ${broken.length} rows with broken foreign keys: ${JSON.stringify(broken.slice(0, 5))}`)
  sqlite.pragma('foreign_keys = ON')
}

/**
 * drizzle compiles a new SQLite statement for every query it runs; compiling costs more than most of
 * our queries take. Statements are cached by their SQL text and reused (drizzle always runs one SQL
 * text the same way, and never iterates, so a shared statement is safe). The cache stops growing at
 * a bound: queries with variable-length IN lists are compiled as before.
 */
function cacheStatements(sqlite: Database.Database, bound = 2000): void {
  const prepare = sqlite.prepare.bind(sqlite)
  const cache = new Map<string, Database.Statement>()
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source)
    if (!stmt) {
      stmt = prepare(source)
      if (cache.size < bound) cache.set(source, stmt)
    }
    return stmt
  }) as typeof sqlite.prepare
}

/** A fresh database file in a temporary folder; `close()` removes it. */
export function openTestDb(): { db: Db; file: string; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tanggap-test-'))
  const file = join(dir, 'test.db')
  const db = openDb(file)
  return {
    db,
    file,
    close: () => {
      if (db.$client.open) db.$client.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
