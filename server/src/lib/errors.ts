// The one error type services throw. The error handler maps its code to an HTTP status.

export const ERROR_STATUS = {
  VALIDATION: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  /** An Idempotency-Key sent again with a different question. */
  IDEMPOTENCY_MISMATCH: 422,
  WINDOW_CLOSED: 422,
  /** A new password that is too easy to guess. */
  WEAK_PASSWORD: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: string[],
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** Refused for now; the answer says when to try again (Retry-After): rate limits, a backend that is away. */
export class RetryLater extends AppError {
  constructor(
    code: 'RATE_LIMITED' | 'UNAVAILABLE',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message)
  }
}

export const notFound = (what = 'Item') => new AppError('NOT_FOUND', `${what} not found`)
