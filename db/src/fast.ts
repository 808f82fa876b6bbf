// Prepared single-table reads for hot paths. drizzle builds SQL afresh on every query, which costs
// more than a lookup by key takes; these compile once and map rows the way drizzle would (booleans,
// JSON columns), so callers get the same row types.
import { getTableColumns, getTableName } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from './client.ts'

export function rowReader<T extends SQLiteTable>(db: Db, table: T, where: string): (...params: unknown[]) => T['$inferSelect'] | undefined {
  const columns = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]
  const select = columns.map(([key, col]) => `"${col.name}" AS "${key}"`).join(', ')
  const stmt = db.$client.prepare(`SELECT ${select} FROM "${getTableName(table)}" WHERE ${where} LIMIT 1`)
  // Only columns whose driver value differs from the JS value need mapping.
  const mapped = columns.filter(([, col]) => col.columnType === 'SQLiteBoolean' || col.columnType === 'SQLiteTextJson' || col.columnType === 'SQLiteBlobBuffer' || col.columnType === 'SQLiteTimestamp')
  return (...params) => {
    const row = stmt.get(...params) as Record<string, unknown> | undefined
    if (!row) return undefined
    for (const [key, col] of mapped) if (row[key] !== null) row[key] = col.mapFromDriverValue(row[key])
    return row as T['$inferSelect']
  }
}
