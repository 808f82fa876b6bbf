// Channel settings for the superadmin: list, create and edit channels, test their credentials
// against the platform, and list deliveries for accounts no channel knows yet and deliveries whose
// processing failed. Secrets are
// write-only: they are sealed at rest and no response, log line or audit entry ever holds them
// (a Meta channel's verify token is the one value shown: it must be pasted into Meta's dashboard).
import type { Db } from '@tanggap/db'
import {
  CHANNEL_LIMITS,
  CHANNEL_SECRETS,
  META_WEBHOOK_PLATFORMS,
  PLATFORMS,
  webhookPath,
  type AdminChannel,
  type ChannelTestResult,
  type CreateChannelBody,
  DELIVERY_ERROR_MAX,
  type FailedDelivery,
  type FlaggedDelivery,
  type OpdRef,
  type Platform,
  type UpdateChannelBody,
} from '@tanggap/shared'
import type { Config } from '../../config.ts'
import { connectorFor as defaultConnectorFor } from '../../connectors/index.ts'
import type { Connector, Fetch } from '../../connectors/types.ts'
import type { Ctx } from '../../lib/context.ts'
import { randomToken } from '../../lib/crypto.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { writeAudit } from '../audit/audit.repo.ts'
import type { OpdsRepo } from '../opds/opds.repo.ts'
import type { ChannelRow, ChannelsRepo } from './channels.repo.ts'
import { isDemo, isIdleDemo } from './demo.ts'
import { quotaDay, type QuotaRepo } from './quota.repo.ts'

export interface ChannelsServiceDeps {
  db: Db
  channels: ChannelsRepo
  opds: Pick<OpdsRepo, 'byId'>
  quota: Pick<QuotaRepo, 'used'>
  config: Pick<Config, 'publicUrl' | 'platformApi'>
  clock: () => number
  /** Tests swap the connector registry and fetch; production uses the real ones. */
  connectorFor?: (platform: Platform) => Connector | undefined
  fetch?: Fetch
  /** How long a connection test may wait for the platform. */
  testTimeoutMs?: number
  /** Called after a channel is created: deliveries that named its account before it existed are processed again. */
  onChannelAdded?: (platform: Platform, accountId: string) => Promise<unknown>
}

const UNKNOWN_ACCOUNT = 'unknown_account'
const DEFAULT_FLAGGED_LIMIT = 50
const DEFAULT_TEST_TIMEOUT_MS = 15_000

/** Platforms whose account ids are plain numbers (page, IG account, phone number id, bot id, X user id). */
const NUMERIC_ACCOUNT: ReadonlySet<Platform> = new Set(['facebook', 'instagram', 'whatsapp', 'telegram', 'x'])
const NUMERIC_RE = /^\d{1,30}$/
const TELEGRAM_BOT_TOKEN_RE = /^(\d{1,30}):[A-Za-z0-9_-]{20,200}$/
const TELEGRAM_SECRET_TOKEN_RE = /^[A-Za-z0-9_-]{1,256}$/
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/

const PLATFORM_NAMES: Record<Platform, string> = {
  website: 'Situs web',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  telegram: 'Telegram',
  x: 'X',
  youtube: 'YouTube',
}

const isMeta = (p: Platform) => META_WEBHOOK_PLATFORMS.includes(p)
const sortedKeys = (o: Record<string, string>) => Object.keys(o).sort((a, b) => a.localeCompare(b))

/** What the audit log keeps of a channel: no secret, only which secrets are set. */
function auditSnapshot(row: ChannelRow, credentials: Record<string, string>) {
  return { platform: row.platform, accountId: row.accountId, name: row.name, opdId: row.opdId, active: row.active, secretsSet: sortedKeys(credentials) }
}

/** Replaces any secret value that slipped into a message (e.g. a URL with ?access_token=) with ***. */
function redact(text: string, credentials: Record<string, string>): string {
  let out = text
  for (const value of Object.values(credentials)) if (value.length >= 4) out = out.split(value).join('***')
  return out
}

const isUniqueViolation = (err: unknown) =>
  err instanceof Error && ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err.message))

export function channelsService(d: ChannelsServiceDeps) {
  const connectorFor = d.connectorFor ?? defaultConnectorFor
  const testTimeoutMs = d.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS

  function opdOf(id: number): OpdRef {
    return d.opds.byId(id) ?? { id, code: '?', name: `OPD ${id}`, shortName: `OPD ${id}` }
  }

  function view(row: ChannelRow, now: number): AdminChannel {
    const credentials = d.channels.credentialsOf(row)
    const connector = connectorFor(row.platform)
    const path = webhookPath(row.platform, row.accountId)
    return {
      id: row.id,
      platform: row.platform,
      accountId: row.accountId,
      name: row.name,
      opd: opdOf(row.opdId),
      active: row.active,
      secretsSet: sortedKeys(credentials),
      webhookUrl: path === null ? null : `${d.config.publicUrl}${path}`,
      verifyToken: isMeta(row.platform) ? (credentials.verifyToken ?? null) : null,
      lastDeliveryAt: row.lastDeliveryAt,
      lastError: row.lastError === null ? null : redact(row.lastError, credentials).slice(0, CHANNEL_LIMITS.lastError),
      lastErrorAt: row.lastErrorAt,
      quota: connector?.dailyQuota ? { usedToday: d.quota.used(row.id, quotaDay(now, connector.quotaTimeZone ?? 'UTC')), limit: connector.dailyQuota } : null,
      demo: !isDemo(row) ? null : isIdleDemo(row, d.config.platformApi) ? 'idle' : 'connected',
      createdAt: row.createdAt,
    }
  }

  function checkName(name: string): string {
    const trimmed = name.trim()
    if (!trimmed) throw new AppError('VALIDATION', 'The channel needs a name', ['name'])
    return trimmed
  }

  function checkOpd(opdId: number): void {
    if (!d.opds.byId(opdId)) throw new AppError('VALIDATION', 'Unknown OPD', ['opdId'])
  }

  function checkAccountId(platform: Platform, accountId: string): void {
    if (NUMERIC_ACCOUNT.has(platform) && !NUMERIC_RE.test(accountId)) {
      throw new AppError('VALIDATION', `A ${PLATFORM_NAMES[platform]} account id is a number (the platform's id, not the @name)`, ['accountId'])
    }
  }

  /** Rejects secret keys the platform does not use and values that cannot be right; returns trimmed values. */
  function checkSecrets<V extends string | null | undefined>(
    platform: Platform,
    accountId: string,
    secrets: Partial<Record<string, V>>,
  ): Partial<Record<string, V>> {
    const allowed = new Set(CHANNEL_SECRETS[platform].map((f) => f.key))
    const bad = Object.keys(secrets).filter((k) => !allowed.has(k))
    if (bad.length)
      throw new AppError(
        'VALIDATION',
        `${PLATFORM_NAMES[platform]} channels take no such secret: ${bad.join(', ')}`,
        bad.map((k) => `secrets.${k}`),
      )
    const out: Partial<Record<string, V>> = {}
    const invalid: string[] = []
    for (const [key, raw] of Object.entries(secrets)) {
      if (typeof raw !== 'string') {
        out[key] = raw
        continue
      }
      const value = raw.trim()
      if (CONTROL_RE.test(value)) invalid.push(key)
      else if (value && platform === 'telegram' && key === 'botToken' && TELEGRAM_BOT_TOKEN_RE.exec(value)?.[1] !== accountId) invalid.push(key)
      else if (value && platform === 'telegram' && key === 'secretToken' && !TELEGRAM_SECRET_TOKEN_RE.test(value)) invalid.push(key)
      out[key] = value as V
    }
    if (invalid.length) {
      throw new AppError(
        'VALIDATION',
        `Invalid secret: ${invalid.join(', ')} (a Telegram bot token starts with the bot id and a colon; a Telegram secret token uses only A-Z, a-z, 0-9, _ and -)`,
        invalid.map((k) => `secrets.${k}`),
      )
    }
    return out
  }

  /** A fetch that gives up after the test timeout. */
  const timedFetch: Fetch = (input, init) => {
    const timeout = AbortSignal.timeout(testTimeoutMs)
    return (d.fetch ?? fetch)(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout })
  }

  return {
    list(): AdminChannel[] {
      const now = d.clock()
      return d.channels.all().map((row) => view(row, now))
    },

    get(id: number): AdminChannel {
      const row = d.channels.byId(id)
      if (!row) throw notFound('Channel')
      return view(row, d.clock())
    },

    create(ctx: Ctx, body: CreateChannelBody): AdminChannel {
      const { platform } = body
      const name = checkName(body.name)
      const accountId = body.accountId
      checkAccountId(platform, accountId)
      checkOpd(body.opdId)
      const given = checkSecrets(platform, accountId, body.secrets ?? {})
      const credentials: Record<string, string> = {}
      for (const [k, v] of Object.entries(given)) if (v) credentials[k] = v
      // Meta checks the endpoint with this token: make one the superadmin can copy when none was given.
      if (isMeta(platform) && !credentials.verifyToken) credentials.verifyToken = randomToken(24)

      if (platform === 'website' && d.channels.ofPlatforms(['website']).length > 0) {
        throw new AppError('CONFLICT', 'There is already a website channel; only one is allowed', ['platform'])
      }
      if (d.channels.byAccount(platform, accountId)) throw new AppError('CONFLICT', 'A channel for this account already exists', ['accountId'])

      const now = d.clock()
      let row: ChannelRow
      try {
        row = d.db.transaction((tx) => {
          const created = d.channels.insert(tx, { platform, accountId, name, opdId: body.opdId, active: body.active ?? true, credentials })
          writeAudit(d.db, ctx, now, { action: 'channel.create', entity: 'channel', entityId: created.id, after: auditSnapshot(created, credentials) })
          return created
        })
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'A channel for this account already exists', ['accountId'])
        throw err
      }
      d.channels.changed()
      ctx.log.info({ channelId: row.id, platform }, 'channel created')
      d.onChannelAdded?.(platform, accountId).catch((err) => ctx.log.error({ err, channelId: row.id }, 'reprocessing earlier deliveries failed'))
      return view(row, now)
    },

    update(ctx: Ctx, id: number, body: UpdateChannelBody): AdminChannel {
      const row = d.channels.byId(id)
      if (!row) throw notFound('Channel')
      const name = body.name === undefined ? row.name : checkName(body.name)
      if (body.opdId !== undefined && body.opdId !== row.opdId) checkOpd(body.opdId)
      const opdId = body.opdId ?? row.opdId
      const active = body.active ?? row.active

      const before = d.channels.credentialsOf(row)
      const credentials = { ...before }
      const changedSecrets: string[] = []
      for (const [key, value] of Object.entries(checkSecrets(row.platform, row.accountId, body.secrets ?? {}))) {
        if (value === null) {
          // A Meta channel always has a verify token: removing it makes a new one (rotation).
          if (isMeta(row.platform) && key === 'verifyToken') credentials[key] = randomToken(24)
          else delete credentials[key]
        } else if (value) credentials[key] = value
        // An empty string keeps the secret, like an absent key.
        if (credentials[key] !== before[key]) changedSecrets.push(key)
      }

      if (name === row.name && opdId === row.opdId && active === row.active && changedSecrets.length === 0) return view(row, d.clock())

      const now = d.clock()
      const updated = d.db.transaction((tx) => {
        const next = d.channels.update(tx, id, { name, opdId, active, credentials })
        writeAudit(d.db, ctx, now, {
          action: 'channel.update',
          entity: 'channel',
          entityId: id,
          before: auditSnapshot(row, before),
          after: {
            ...auditSnapshot(next, credentials),
            ...(changedSecrets.length ? { secretsChanged: changedSecrets.sort((a, b) => a.localeCompare(b)) } : {}),
          },
        })
        return next
      })
      // Receivers cache opened channels: make them see the change at once.
      d.channels.changed()
      ctx.log.info({ channelId: id, secretsChanged: changedSecrets }, 'channel updated')
      return view(updated, now)
    },

    /** Calls the platform with the channel's credentials; the outcome becomes the channel's last error (or clears it). */
    async test(ctx: Ctx, id: number): Promise<ChannelTestResult> {
      const row = d.channels.byId(id)
      if (!row) throw notFound('Channel')
      const connector = connectorFor(row.platform)
      if (!connector?.testConnection) return { ok: false, detail: `Tes koneksi untuk ${PLATFORM_NAMES[row.platform]} belum tersedia` }
      if (isIdleDemo(row, d.config.platformApi)) return { ok: false, detail: 'Kanal demo: tidak terhubung ke platform (jalankan simulator)' }
      const channel = d.channels.open(row)
      let result: ChannelTestResult
      try {
        const found = await connector.testConnection(channel, d.config.platformApi[row.platform], timedFetch)
        result = { ok: true, detail: String(found ?? '').trim() || 'OK' }
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || (err.name === 'AbortError' && /timeout/i.test(err.message)))
        const message = timedOut
          ? `Platform tidak menjawab dalam ${Math.max(1, Math.ceil(testTimeoutMs / 1000))} detik`
          : err instanceof Error
            ? err.message
            : String(err)
        result = { ok: false, detail: message.trim() || 'Gagal tanpa keterangan' }
      }
      result.detail = redact(result.detail, channel.credentials).slice(0, CHANNEL_LIMITS.testDetail)
      d.channels.recordError(id, d.clock(), result.ok ? null : result.detail)
      ctx.log.info({ channelId: id, ok: result.ok }, 'channel connection tested')
      return result
    },

    /** Deliveries that named an account no channel knew, newest first: the superadmin may add the missing channel. */
    flagged(limit = DEFAULT_FLAGGED_LIMIT): FlaggedDelivery[] {
      return d.channels.flaggedDeliveries(UNKNOWN_ACCOUNT, limit).map((r) => ({
        id: r.id,
        platform: r.platform,
        receivedAt: r.receivedAt,
        flag: r.flag.slice(0, 64),
        flagDetail: r.flagDetail === null ? null : r.flagDetail.slice(0, CHANNEL_LIMITS.flagDetail),
        accounts: parseAccounts(r.flagDetail).map((a) => ({ ...a, known: d.channels.byAccount(a.platform, a.accountId) !== undefined })),
        bytes: r.bytes,
      }))
    },

    /** Deliveries answered 2xx whose processing then failed, newest first, with the reason. */
    failed(limit = DEFAULT_FLAGGED_LIMIT, before?: number): FailedDelivery[] {
      return d.channels.failedDeliveries(limit, before).map((r) => ({
        id: r.id,
        platform: r.platform,
        channel: r.channelId === null ? null : { id: r.channelId, name: (r.channelName ?? `#${r.channelId}`).slice(0, CHANNEL_LIMITS.name) },
        receivedAt: r.receivedAt,
        attempts: r.attempts,
        error: (r.error ?? '').slice(0, DELIVERY_ERROR_MAX),
        trackingCode: r.trackingCode,
      }))
    },
  }
}

/** "facebook:123, instagram:456" → the accounts it names (deliveries.flag_detail as the processor writes it). */
function parseAccounts(detail: string | null): { platform: Platform; accountId: string }[] {
  if (!detail) return []
  const out: { platform: Platform; accountId: string }[] = []
  for (const part of detail.split(',')) {
    const s = part.trim()
    const colon = s.indexOf(':')
    if (colon < 1) continue
    const platform = s.slice(0, colon) as Platform
    const accountId = s.slice(colon + 1)
    if (!PLATFORMS.includes(platform) || !accountId || accountId.length > CHANNEL_LIMITS.accountId) continue
    if (!out.some((a) => a.platform === platform && a.accountId === accountId)) out.push({ platform, accountId })
    if (out.length >= 50) break
  }
  return out
}

export type ChannelsService = ReturnType<typeof channelsService>
