// Prepared statements for hot paths. drizzle builds SQL text afresh on every query, which costs
// more than a lookup by key or a one-row write takes; these build the text once per shape (the
// statement cache in client.ts keeps it compiled) and convert values the way drizzle would
// (booleans, JSON columns), so callers keep drizzle's row types.
import { getTableColumns, getTableName } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from './client.ts'

const CONVERTED = new Set(['SQLiteBoolean', 'SQLiteTextJson', 'SQLiteBlobBuffer', 'SQLiteTimestamp'])

const columnsOf = (table: SQLiteTable) => Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]

/** The SELECT list of every column under its drizzle key, and a function that converts a raw row in place. */
function selection<T extends SQLiteTable>(table: T): { select: string; map: (row: Record<string, unknown>) => T['$inferSelect'] } {
  const columns = columnsOf(table)
  const select = columns.map(([key, col]) => `"${col.name}" AS "${key}"`).join(', ')
  const mapped = columns.filter(([, col]) => CONVERTED.has(col.columnType))
  return {
    select,
    map: (row) => {
      for (const [key, col] of mapped) if (row[key] !== null) row[key] = col.mapFromDriverValue(row[key])
      return row as T['$inferSelect']
    },
  }
}

/** Reads one row matching a fixed WHERE clause (with ? parameters). */
export function rowReader<T extends SQLiteTable>(db: Db, table: T, where: string): (...params: unknown[]) => T['$inferSelect'] | undefined {
  const { select, map } = selection(table)
  const stmt = db.$client.prepare(`SELECT ${select} FROM "${getTableName(table)}" WHERE ${where} LIMIT 1`)
  return (...params) => {
    const row = stmt.get(...params) as Record<string, unknown> | undefined
    return row && map(row)
  }
}

/** Reads every row matching a fixed WHERE clause (with ? parameters; ORDER BY and LIMIT may follow). */
export function rowsReader<T extends SQLiteTable>(db: Db, table: T, where: string): (...params: unknown[]) => T['$inferSelect'][] {
  const { select, map } = selection(table)
  const stmt = db.$client.prepare(`SELECT ${select} FROM "${getTableName(table)}" WHERE ${where}`)
  return (...params) => (stmt.all(...params) as Record<string, unknown>[]).map(map)
}

function toDriver(col: SQLiteColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null
  return CONVERTED.has(col.columnType) ? col.mapToDriverValue(value) : value
}

/** Inserts one row (the columns given; the others take their defaults) and returns its id. */
export function rowInserter<T extends SQLiteTable>(db: Db, table: T): (row: T['$inferInsert']) => number {
  const byKey = new Map(columnsOf(table))
  const name = getTableName(table)
  return (row) => {
    const keys = Object.keys(row).filter((k) => (row as Record<string, unknown>)[k] !== undefined && byKey.has(k))
    const cols = keys.map((k) => byKey.get(k)!)
    const stmt = db.$client.prepare(
      `INSERT INTO "${name}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING id`,
    )
    return (stmt.get(...keys.map((k, i) => toDriver(cols[i]!, (row as Record<string, unknown>)[k]))) as { id: number }).id
  }
}

/** Sets the given columns of the row with this id. */
export function rowUpdater<T extends SQLiteTable>(db: Db, table: T): (id: number, patch: Partial<T['$inferInsert']>) => void {
  const byKey = new Map(columnsOf(table))
  const name = getTableName(table)
  return (id, patch) => {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined && byKey.has(k))
    if (!keys.length) return
    const cols = keys.map((k) => byKey.get(k)!)
    const stmt = db.$client.prepare(`UPDATE "${name}" SET ${cols.map((c) => `"${c.name}" = ?`).join(', ')} WHERE id = ?`)
    stmt.run(...keys.map((k, i) => toDriver(cols[i]!, (patch as Record<string, unknown>)[k])), id)
  }
}
