// One error body for every failure: { error: { code, message, requestId, fields? } }.
// No stack trace or SQL reaches a client; 5xx are logged with their cause.
import type { FastifyError, FastifyInstance } from 'fastify'
import type { ErrorBody } from '@tanggap/shared'
import { isBackendAway } from '../lib/backend-away.ts'
import { AppError, ERROR_STATUS, RetryLater, type ErrorCode } from '../lib/errors.ts'

/** Seconds a client is told to wait when a backend is away (503). */
const RETRY_AFTER_UNAVAILABLE = 5

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
}

/** The field names an ajv validation error is about, e.g. "text" or "name". */
function fieldsOf(err: FastifyError): string[] {
  const fields = new Set<string>()
  for (const v of err.validation ?? []) {
    const params = v.params as Record<string, unknown>
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.')
    // ajv names one property; TypeBox's compiler lists them (requiredProperties, additionalProperties).
    const named = [params.missingProperty, params.additionalProperty, params.requiredProperties, params.additionalProperties].flat()
    const extras = named.filter((p): p is string => typeof p === 'string' && p !== '')
    if (extras.length === 0) fields.add(path || (err.validationContext ?? 'body'))
    for (const extra of extras) fields.add([path, extra].filter(Boolean).join('.'))
  }
  return [...fields]
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let status: number
    let body: ErrorBody['error']
    if (err instanceof AppError) {
      status = ERROR_STATUS[err.code]
      body = { code: err.code, message: err.message, requestId: req.id, ...(err.fields ? { fields: err.fields } : {}) }
    } else if (err.validation) {
      const fields = fieldsOf(err)
      status = 400
      body = { code: 'VALIDATION', message: `Invalid ${err.validationContext ?? 'input'}: ${fields.join(', ')}`, requestId: req.id, fields }
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode
      const code = CODE_BY_STATUS[status] ?? 'VALIDATION'
      body = { code, message: status === 400 ? 'Malformed request' : err.message.slice(0, 300), requestId: req.id }
    } else if (isBackendAway(err)) {
      status = 503
      req.log.warn({ err }, 'request needed redis while it was away')
      body = { code: 'UNAVAILABLE', message: 'Temporarily unavailable; try again shortly', requestId: req.id }
    } else {
      status = err.statusCode && err.statusCode >= 500 ? err.statusCode : 500
      req.log.error({ err }, 'request failed')
      body = { code: status === 503 ? 'UNAVAILABLE' : 'INTERNAL', message: 'Internal error', requestId: req.id }
    }
    if (status < 500) req.log.info({ code: body.code, status }, 'request rejected')
    if (err instanceof RetryLater) reply.header('retry-after', String(err.retryAfterSeconds))
    else if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_UNAVAILABLE))
    return reply.code(status).send({ error: body })
  })
}
