// pino, configured once: objects first, constant messages, secrets redacted.
import pino, { type Logger } from 'pino'
import type { Config } from './config.ts'

export const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'credentials',
  '*.credentials',
  'secretKey',
]

export function createLogger(config: Pick<Config, 'logLevel'>, name = 'tanggap'): Logger {
  return pino({ name, level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } })
}
