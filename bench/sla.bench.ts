// SLA benchmark: with 100,000 open items and 500 connected websocket clients, how long after its
// due moment does a breach frame reach the clients, and how busy is the server meanwhile?
// Prints p50/p99 of (frame arrival − due time) over every client and breach, and the server's CPU.
//   npm run bench:sla            (OPEN_ITEMS=100000 CLIENTS=500 BREACHES=200 SPREAD_SECONDS=10)
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { openDb } from '@tanggap/db'
import { DEMO_PASSWORD, seedIfEmpty } from '@tanggap/db/seed'
import { seal } from '../server/src/lib/crypto.ts'
import { hashPassword } from '../server/src/modules/auth/password.ts'

const OPEN_ITEMS = Number(process.env.OPEN_ITEMS ?? 100_000)
const CLIENTS = Number(process.env.CLIENTS ?? 500)
const BREACHES = Number(process.env.BREACHES ?? 200)
const SPREAD_MS = Number(process.env.SPREAD_SECONDS ?? 10) * 1000
const LEAD_MS = 8_000
const SECRET_KEY = '33'.repeat(32)

const dir = mkdtempSync(join(tmpdir(), 'tanggap-sla-bench-'))
const file = join(dir, 'tanggap.db')

/** Fills the database: OPDs, demo users, then open items with awaiting periods, a few due during the run. */
async function prepare(start: number): Promise<void> {
  const db = openDb(file)
  await seedIfEmpty(db, { demo: true, hashPassword, seal: (c) => seal(Buffer.from(SECRET_KEY, 'hex'), c) })
  const s = db.$client
  const opds = (s.prepare('SELECT id FROM opds').all() as { id: number }[]).map((o) => o.id)
  const channel = (s.prepare("SELECT id FROM channels WHERE platform = 'website'").get() as { id: number }).id
  const policy = (s.prepare("SELECT id FROM sla_policies WHERE name = 'Pertanyaan situs web'").get() as { id: number }).id
  const item =
    s.prepare(`INSERT INTO items (channel_id, opd_id, platform, kind, external_thread_id, status, citizen_name, preview, first_message_at, last_message_at, awaiting_since, last_inbound_at, policy_id, due_at, warn_at, updated_at)
    VALUES (?, ?, 'website', 'form', ?, 'open', 'Warga', 'Pertanyaan warga', ?, ?, ?, ?, ?, ?, ?, ?)`)
  const period = s.prepare(
    `INSERT INTO sla_periods (item_id, kind, started_at, policy_id, target_seconds, due_at, warn_at, warned_at) VALUES (?, 'first', ?, ?, 81000, ?, ?, ?)`,
  )
  s.transaction(() => {
    for (let i = 0; i < OPEN_ITEMS; i++) {
      // The first BREACHES items fall due one after another during the run; the rest much later.
      const due = i < BREACHES ? start + Math.round((i * SPREAD_MS) / BREACHES) : start + 7 * 86_400_000 + i * 1000
      const began = due - 3 * 86_400_000
      const id = Number(item.run(channel, opds[i % opds.length], `bench-${i}`, began, began, began, began, policy, due, due - 20_000, began).lastInsertRowid)
      // Warnings are taken as already given, so the run measures breaches.
      period.run(id, began, policy, due, due - 20_000, due - 20_000)
    }
  })()
  db.$client.close()
}

const cpuTicks = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(f[11]) + Number(f[12])
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

async function main() {
  const start = Date.now() + LEAD_MS + 30_000
  console.log(`Preparing ${OPEN_ITEMS.toLocaleString('en')} open items (${BREACHES} fall due over ${SPREAD_MS / 1000} s)…`)
  await prepare(start)
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/sla-server.ts'], {
    env: { ...process.env, DATABASE_FILE: file, DATA_DIR: dir, SECRET_KEY, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout!.on('data', (d) => {
        const m = /PORT (\d+)/.exec(String(d))
        if (m) resolve(Number(m[1]))
      })
      server.on('exit', (code) => reject(new Error(`server exited ${code}`)))
    })
    const base = `http://127.0.0.1:${port}`
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'prokompim', password: DEMO_PASSWORD }),
    })
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')

    const delays: number[] = []
    const seen = new Set<number>()
    const sockets: WebSocket[] = []
    await Promise.all(
      Array.from(
        { length: CLIENTS },
        () =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie }, perMessageDeflate: false })
            ws.on('message', (data) => {
              const frame = JSON.parse(String(data)) as { type: string; at?: number; item?: { id: number } }
              if (frame.type === 'hello') return resolve()
              if (frame.type === 'sla.breach') {
                delays.push(Date.now() - frame.at!)
                seen.add(frame.item!.id)
              }
            })
            ws.on('error', reject)
            sockets.push(ws)
          }),
      ),
    )
    console.log(`${CLIENTS} websocket clients connected as the supervisor (every breach goes to every client).`)

    const wait = start - Date.now() - 1000
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const t0 = Date.now()
    const cpu0 = cpuTicks(server.pid!)
    await new Promise((r) => setTimeout(r, SPREAD_MS + 3000))
    const cpu1 = cpuTicks(server.pid!)
    const seconds = (Date.now() - t0) / 1000
    const hz = 100
    const cpuPct = ((cpu1 - cpu0) / hz / seconds) * 100
    for (const ws of sockets) ws.close()
    const served = await new Promise<number[]>((resolve) => {
      server.once('message', (m) => resolve((m as { served: number[] }).served))
      server.send('report')
    })

    const expected = BREACHES * CLIENTS
    console.log('\nSLA breach delivery (due moment → frame at the client)')
    console.log(`  open items           ${OPEN_ITEMS.toLocaleString('en')}`)
    console.log(`  clients              ${CLIENTS}`)
    console.log(`  breaches             ${seen.size}/${BREACHES} items, ${delays.length}/${expected} frames`)
    console.log(`  delay p50            ${pct(delays, 50)} ms`)
    console.log(`  delay p99            ${pct(delays, 99)} ms`)
    console.log(`  delay max            ${Math.max(...delays)} ms`)
    console.log(`  server side p50/p99  ${pct(served, 50)} / ${pct(served, 99)} ms (due → frames written to all sockets)`)
    console.log(`  server CPU           ${cpuPct.toFixed(1)} % of one core over ${seconds.toFixed(1)} s (target p99 < 250 ms)`)
  } finally {
    server.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
