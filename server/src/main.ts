// Starts the web process: configuration, runtime, HTTP server; closes gracefully on SIGINT/SIGTERM.
import { DEMO_PASSWORD, DEMO_USERS } from '@tanggap/db/seed'
import { buildApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { openRuntime } from './runtime.ts'

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(78)
    }
    throw err
  }
  const logger = createLogger(config)
  const runtime = await openRuntime(config, logger, 'web')
  const app = await buildApp({ config, logger, ...runtime, runWorkers: config.runWorkers })
  await app.listen({ host: config.host, port: config.port })

  const mode = config.redisUrl ? 'redis (BullMQ + pub/sub)' : 'embedded (in-process queue)'
  const lines = [`Tanggap berjalan di ${config.publicUrl}  ·  mode: ${mode}  ·  database: ${config.databaseFile}`]
  if (config.seedDemo) {
    lines.push(`Akun demo (kata sandi untuk semua: ${DEMO_PASSWORD}):`)
    for (const u of DEMO_USERS) lines.push(`  ${u.username.padEnd(12)} ${u.role.padEnd(11)} ${u.opds.join(', ')}`)
    lines.push(`Formulir warga: ${config.publicUrl}/tanya   ·   API docs: ${config.publicUrl}/docs`)
  }
  console.log(lines.join('\n'))

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    await app.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
