// A worker process for redis mode: consumes the BullMQ queues beside the web processes, which
// then run with RUN_WORKERS=false. Events reach the web processes through Redis pub/sub.
import { setPriority } from 'node:os'
import { ConfigError, loadConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { openRuntime } from './runtime.ts'
import { createServices, registerJobHandlers, startBackgroundLoops } from './services.ts'

async function main() {
  const config = loadConfig()
  if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'is required for a separate worker (embedded mode runs jobs in the web process)')
  const logger = createLogger(config, 'tanggap-worker')
  // Beside web processes on one machine, the work that can wait yields the CPU to the requests that
  // cannot (platforms retry or give up on slow webhooks). Lowering one's priority needs no rights.
  if (config.workerNice > 0) setPriority(config.workerNice)
  const runtime = await openRuntime(config, logger, 'worker')
  const services = createServices({ ...runtime, config, clock: Date.now, log: logger })
  registerJobHandlers(services, runtime.jobs, logger)
  // Web and worker processes all offer to run the SLA scheduler; the Redis lock lets one fire.
  services.scheduler.start()
  const stopLoops = await startBackgroundLoops(services, config, logger)
  logger.info({ redis: config.redisUrl.replace(/\/\/[^@]*@/, '//***@') }, 'worker started')

  const shutdown = async () => {
    stopLoops()
    await services.scheduler.stop()
    await services.intake.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err)
  process.exit(err instanceof ConfigError ? 78 : 1)
})
