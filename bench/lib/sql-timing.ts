// Preloaded into the Tanggap children by `BENCH_SQL_TIMING=1 npm run bench:meta` (never by the app):
// times every better-sqlite3 statement the process runs, keyed by its SQL text. The time is wall
// time inside the call: SQLite's own work, its WAL writes and checkpoints, and any wait for another
// process's write lock (busy_timeout). On SIGUSR2 the totals so far go to $BENCH_SQL_TIMING_FILE
// (as JSON) and start again from zero.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const out = process.env.BENCH_SQL_TIMING_FILE
if (!out) throw new Error('BENCH_SQL_TIMING_FILE is required')

// The better-sqlite3 the app loads (db/ resolves it from the workspace).
const require = createRequire(join(process.cwd(), 'db', 'package.json'))
const Database = require('better-sqlite3') as typeof import('better-sqlite3')
const probe = new Database(':memory:')
const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown>
probe.close()

interface Totals {
  calls: number
  ns: number
}
let totals = new Map<string, Totals>()

for (const method of ['run', 'get', 'all'] as const) {
  const original = proto[method]
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    const t = process.hrtime.bigint()
    try {
      return original.apply(this, args)
    } finally {
      const ns = Number(process.hrtime.bigint() - t)
      const sql = this.source.replace(/\s+/g, ' ').trim()
      const s = totals.get(sql)
      if (s) {
        s.calls++
        s.ns += ns
      } else totals.set(sql, { calls: 1, ns })
    }
  }
}

process.on('SIGUSR2', () => {
  writeFileSync(out, JSON.stringify([...totals].map(([sql, s]) => ({ sql, ...s }))))
  totals = new Map()
})
