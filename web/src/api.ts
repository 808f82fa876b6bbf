// A small fetch wrapper for the Tanggap HTTP API: JSON in and out, the CSRF header on every POST
// while signed in, and one error type carrying the server's { error: { code, message, fields } }.
import type {
  AdminChannel,
  Board,
  BoardQuery,
  CalendarView,
  ChannelOption,
  ChannelTestResult,
  CreateChannelBody,
  DispositionBody,
  ErrorBody,
  FailedDelivery,
  FlaggedDelivery,
  ItemDetail,
  ItemListQuery,
  ItemPage,
  ItemSummary,
  LoginBody,
  OpdRef,
  PublicOptions,
  PublicQuestionAccepted,
  PublicQuestionBody,
  PublicStatus,
  ReplyBody,
  ReplyView,
  RetriedDelivery,
  Session,
  StatusBody,
  UpdateChannelBody,
} from '@tanggap/shared'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly fields: string[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrfToken: string | null = null
const unauthorizedListeners = new Set<() => void>()

/** Remembers the token of the signed-in session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called when a signed-in request comes back 401, so the app can send the user to /masuk. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH'
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Do not report a 401 as a lost session (sign-in, session probe, public pages). */
  quiet401?: boolean
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const e = (value as { error: unknown }).error
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  let body: string | undefined
  if (method !== 'GET') {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body ?? {})
    if (csrfToken) headers['x-csrf-token'] = csrfToken
  }
  let res: Response
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError(0, 'NETWORK', 'network error')
  }
  if (res.status === 204) return undefined as T
  let data: unknown = null
  const text = await res.text()
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !options.quiet401) for (const l of unauthorizedListeners) l()
    if (isErrorBody(data)) {
      const e = data.error
      throw new ApiError(res.status, e.code, e.message, e.requestId, e.fields ?? [])
    }
    throw new ApiError(res.status, res.status === 429 ? 'RATE_LIMITED' : `HTTP_${res.status}`, res.statusText)
  }
  return data as T
}

const enc = encodeURIComponent

// ---- auth ----
export const getSession = () => request<Session>('/api/auth/session', { quiet401: true })
export const login = (body: LoginBody) => request<Session>('/api/auth/login', { method: 'POST', body, quiet401: true })
export const logout = () => request<void>('/api/auth/logout', { method: 'POST', quiet401: true })

// ---- public ----
export const getPublicOptions = () => request<PublicOptions>('/api/public/options', { quiet401: true })
export const submitQuestion = (body: PublicQuestionBody, idempotencyKey: string) =>
  request<PublicQuestionAccepted>('/api/public/questions', {
    method: 'POST',
    body,
    headers: { 'idempotency-key': idempotencyKey },
    quiet401: true,
  })
export const getPublicStatus = (code: string, signal?: AbortSignal) => request<PublicStatus>(`/api/public/questions/${enc(code)}`, { signal, quiet401: true })

// ---- inbox ----
export type ItemFilters = Pick<ItemListQuery, 'status' | 'platform' | 'opd' | 'channel' | 'sort'>

export function listItems(filters: ItemFilters, cursor: string | null, limit = 30): Promise<ItemPage> {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.set(k, String(v))
  // The server's default too; said explicitly so a cursor always matches its order.
  if (!q.has('sort')) q.set('sort', 'urgency')
  if (cursor) q.set('cursor', cursor)
  q.set('limit', String(limit))
  return request<ItemPage>(`/api/items?${q.toString()}`)
}
export const getItem = (id: number, signal?: AbortSignal) => request<ItemDetail>(`/api/items/${id}`, { signal })
export const postReply = (id: number, body: ReplyBody) => request<ReplyView>(`/api/items/${id}/replies`, { method: 'POST', body })
export const setItemStatus = (id: number, body: StatusBody) => request<ItemSummary>(`/api/items/${id}/status`, { method: 'POST', body })
export const disposeItem = (id: number, body: DispositionBody) => request<ItemSummary>(`/api/items/${id}/dispositions`, { method: 'POST', body })
export const listOpds = () => request<OpdRef[]>('/api/opds')

// ---- SLA ----
export function getBoard(query: BoardQuery, signal?: AbortSignal): Promise<Board> {
  const q = new URLSearchParams()
  if (query.platform) q.set('platform', query.platform)
  if (query.channel) q.set('channel', String(query.channel))
  const qs = q.toString()
  return request<Board>(`/api/board${qs ? `?${qs}` : ''}`, { signal })
}
export const listCalendars = () => request<CalendarView[]>('/api/sla/calendars')
/** The channels this user may filter by (every signed-in user). */
export const listChannelOptions = () => request<ChannelOption[]>('/api/channels')

// ---- channel settings (superadmin) ----
export const listChannels = () => request<AdminChannel[]>('/api/admin/channels')
export const createChannel = (body: CreateChannelBody) => request<AdminChannel>('/api/admin/channels', { method: 'POST', body })
export const updateChannel = (id: number, body: UpdateChannelBody) => request<AdminChannel>(`/api/admin/channels/${id}`, { method: 'PATCH', body })
export const testChannel = (id: number) => request<ChannelTestResult>(`/api/admin/channels/${id}/test`, { method: 'POST' })
export const listFlaggedDeliveries = (limit = 50) => request<FlaggedDelivery[]>(`/api/admin/deliveries/flagged?limit=${limit}`)
/** The newest failed deliveries, or those older than `before` (the last id of the page before). */
export const listFailedDeliveries = (limit = FAILED_PAGE, before?: number) =>
  request<FailedDelivery[]>(`/api/admin/deliveries/failed?limit=${limit}${before ? `&before=${before}` : ''}`)
export const FAILED_PAGE = 50
/** Puts a failed delivery back in the queue ("process again"). */
export const retryDelivery = (id: number) => request<RetriedDelivery>(`/api/admin/deliveries/${id}/retry`, { method: 'POST' })

/** A UUID for Idempotency-Key; falls back to getRandomValues where randomUUID is unavailable (plain http). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
