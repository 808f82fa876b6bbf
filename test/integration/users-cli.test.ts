// The CLI that creates the first superadmin of a real deployment, password from stdin.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDb } from '@tanggap/db'
import { createTestApp } from '../helpers/app.ts'

const dir = mkdtempSync(join(tmpdir(), 'tanggap-cli-'))
const file = join(dir, 'tanggap.db')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (args: string[], input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/users.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_FILE: file, DATA_DIR: dir, NODE_ENV: 'production', SECRET_KEY: '22'.repeat(32) },
  })

describe('users CLI', () => {
  it('creates a superadmin who can sign in with the password given on stdin', async () => {
    const r = run(['create', '--username', 'Admin.Tegal', '--role', 'superadmin', '--name', 'Admin Kabupaten'], 'sangat-rahasia-123\n')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const db = openDb(file)
    const t = await createTestApp({ db: { db, file } })
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin.tegal', password: 'sangat-rahasia-123' } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().user).toMatchObject({ role: 'superadmin', displayName: 'Admin Kabupaten' })
    await t.app.close()
    db.$client.close()
  })

  it('refuses a password that is easy to guess, saying why in Indonesian and English, and creates no one', () => {
    for (const password of ['1234567890', 'aaaaaaaaaa', 'password12', 'dukcapil2025']) {
      const r = run(['create', '--username', 'dukcapil.baru', '--role', 'opd_admin', '--opd', 'disdukcapil', '--name', 'Admin Dukcapil'], `${password}\n`)
      expect(r.status).toBe(2)
      expect(r.stderr).toContain('Kata sandi terlalu mudah ditebak')
      expect(r.stderr).toContain('the password is too easy to guess')
    }
    const db = openDb(file)
    expect(db.$client.prepare("SELECT count(*) AS n FROM users WHERE username = 'dukcapil.baru'").get()).toEqual({ n: 0 })
    db.$client.close()
  })

  it('refuses a short password, an unknown OPD and a duplicate, saying why', () => {
    expect(run(['create', '--username', 'pendek', '--role', 'supervisor'], 'abc\n').stderr).toContain('at least 10')
    expect(run(['create', '--username', 'opdx', '--role', 'opd_admin', '--opd', 'dinas-bulan'], 'panjang-sekali-123\n').stderr).toContain(
      'unknown OPD code "dinas-bulan"',
    )
    const dup = run(['create', '--username', 'admin.tegal', '--role', 'superadmin'], 'sangat-rahasia-123\n')
    expect(dup.status).toBe(2)
    expect(dup.stderr).toContain('already exists')
  })
})
