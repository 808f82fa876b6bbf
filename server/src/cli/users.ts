// npm run users -- create --username <name> --role <role> [--name "<display name>"] [--opd <code,code>]
// Creates a user (e.g. the first superadmin of a real deployment). The password is read from stdin:
// typed without echo at a terminal, or piped (first line), and must pass the strength check.
import { openDb } from '@tanggap/db'
import { seedIfEmpty } from '@tanggap/db/seed'
import { ROLES, LIMITS, type Role } from '@tanggap/shared'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { seal } from '../lib/crypto.ts'
import { AppError } from '../lib/errors.ts'
import { writeAudit } from '../modules/audit/audit.repo.ts'
import { authRepo } from '../modules/auth/auth.repo.ts'
import { hashPassword } from '../modules/auth/password.ts'
import { checkNewPassword } from '../modules/auth/password-policy.ts'
import { opdsRepo } from '../modules/opds/opds.repo.ts'

const USAGE = 'Usage: npm run users -- create --username <name> --role <superadmin|supervisor|opd_admin> [--name "<display name>"] [--opd <code,code>]'

async function readPassword(): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const c of stdin) chunks.push(c as Buffer)
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  }
  const rl = createInterface({ input: stdin, output: process.stdout, terminal: true })
  // Print the prompt, then swallow the echo of what is typed.
  process.stdout.write('Kata sandi (password): ')
  ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  const answer = await new Promise<string>((resolve) => rl.question('', resolve))
  rl.close()
  process.stdout.write('\n')
  return answer
}

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, opd: { type: 'string' } },
  })
  if (positionals[0] !== 'create') fail(USAGE)
  const username = values.username?.trim().toLowerCase() ?? ''
  if (!/^[a-z0-9._-]{3,}$/.test(username) || username.length > LIMITS.username) fail('--username: 3–64 characters of a-z, 0-9, dot, dash, underscore')
  const role = values.role as Role
  if (!ROLES.includes(role)) fail(`--role: one of ${ROLES.join(', ')}`)
  const codes = (values.opd ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
  if (role === 'opd_admin' && codes.length === 0) fail('--opd: an OPD admin needs at least one OPD code')

  const config = loadConfig()
  const db = openDb(config.databaseFile)
  await seedIfEmpty(db, { demo: false, hashPassword, seal: (c) => seal(config.secretKey, c) })
  const opds = opdsRepo(db)
  const opdIds = codes.map((code) => opds.idByCode(code) ?? fail(`--opd: unknown OPD code "${code}"`))
  const repo = authRepo(db)
  if (repo.userByUsername(username)) fail(`User "${username}" already exists`)

  const password = await readPassword()
  const displayName = values.name?.trim() || username
  try {
    await checkNewPassword(password, [username, displayName])
  } catch (err) {
    if (err instanceof AppError) fail(err.message)
    throw err
  }
  const id = repo.createUser({ username, displayName, role, passwordHash: await hashPassword(password), opdIds })
  writeAudit(db, { actor: { kind: 'system' }, requestId: 'cli' }, Date.now(), {
    action: 'user.create',
    entity: 'user',
    entityId: id,
    after: { username, role, opdIds },
  })
  db.$client.close()
  console.log(`Pengguna dibuat (user created): ${username} · ${role} · id ${id}`)
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
