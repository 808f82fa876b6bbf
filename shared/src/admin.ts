// Contracts of the superadmin's channel settings API (/api/admin/…). Secrets are write-only: a
// request may set, replace or remove them; a response only says which ones are set. The one
// exception is a Meta channel's webhook verify token, which the superadmin must paste into Meta's
// dashboard and which is therefore shown.
import Type, { type Static } from 'typebox'
import { Id, Millis, OpdRef, PlatformSchema } from './api.ts'
import { CHANNEL_LIMITS, SECRET_KEYS } from './channel-settings.ts'
import { LIMITS } from './constants.ts'

// The plain values (limits, webhook paths) live apart from the schemas, so the web app can use them
// without shipping TypeBox.
export * from './channel-settings.ts'

const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength })
const Secret = Type.String({ maxLength: CHANNEL_LIMITS.secret })
/** Platform account ids: digits for most platforms, letters too for YouTube, TikTok and the website's domain. */
const AccountId = Type.String({ minLength: 1, maxLength: CHANNEL_LIMITS.accountId, pattern: '^[A-Za-z0-9._:@-]+$' })

/** Create: each key one of the platform's CHANNEL_SECRETS (checked per platform by the server). */
export const ChannelSecretsInput = Type.Object(Object.fromEntries(SECRET_KEYS.map((k) => [k, Type.Optional(Secret)])), { additionalProperties: false })
export type ChannelSecretsInput = Partial<Record<string, string>>

/** Edit: a non-empty string replaces the secret, null removes it, an absent key keeps it. */
export const ChannelSecretsPatch = Type.Object(Object.fromEntries(SECRET_KEYS.map((k) => [k, Type.Optional(Type.Union([Secret, Type.Null()]))])), {
  additionalProperties: false,
})
export type ChannelSecretsPatch = Partial<Record<string, string | null>>

export const CreateChannelBody = Type.Object(
  {
    platform: PlatformSchema,
    accountId: AccountId,
    name: Text(CHANNEL_LIMITS.name, 1),
    opdId: Id,
    secrets: Type.Optional(ChannelSecretsInput),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateChannelBody = Omit<Static<typeof CreateChannelBody>, 'secrets'> & { secrets?: ChannelSecretsInput }

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Text(CHANNEL_LIMITS.name, 1)),
    opdId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
    secrets: Type.Optional(ChannelSecretsPatch),
  },
  { additionalProperties: false },
)
export type UpdateChannelBody = Omit<Static<typeof UpdateChannelBody>, 'secrets'> & { secrets?: ChannelSecretsPatch }

export const ChannelIdParams = Type.Object({ id: Id })

export const ChannelQuota = Type.Object({ usedToday: Type.Integer({ minimum: 0 }), limit: Type.Integer({ minimum: 0 }) })
export type ChannelQuota = Static<typeof ChannelQuota>

export const AdminChannel = Type.Object({
  id: Id,
  platform: PlatformSchema,
  accountId: Text(CHANNEL_LIMITS.accountId),
  name: Text(CHANNEL_LIMITS.name),
  opd: OpdRef,
  active: Type.Boolean(),
  /** Names of the secrets that are set; never their values. */
  secretsSet: Type.Array(Text(64), { maxItems: 20 }),
  /** PUBLIC_URL + the platform's webhook path; null for the website and YouTube. */
  webhookUrl: Type.Union([Text(CHANNEL_LIMITS.webhookUrl), Type.Null()]),
  /** Meta channels only: the token to paste into Meta's webhook settings. */
  verifyToken: Type.Union([Text(CHANNEL_LIMITS.secret), Type.Null()]),
  lastDeliveryAt: Type.Union([Millis, Type.Null()]),
  lastError: Type.Union([Text(CHANNEL_LIMITS.lastError), Type.Null()]),
  lastErrorAt: Type.Union([Millis, Type.Null()]),
  /** Platforms with a daily API quota (YouTube): units spent today and the limit. */
  quota: Type.Union([ChannelQuota, Type.Null()]),
  /** Seeded demo channels: 'idle' (no simulator configured: nothing is called) or 'connected' (to the simulator); null for real channels. */
  demo: Type.Union([Type.Literal('idle'), Type.Literal('connected'), Type.Null()]),
  createdAt: Millis,
})
export type AdminChannel = Static<typeof AdminChannel>

export const AdminChannelList = Type.Array(AdminChannel, { maxItems: 1000 })

export const ChannelTestResult = Type.Object({ ok: Type.Boolean(), detail: Text(CHANNEL_LIMITS.testDetail) })
export type ChannelTestResult = Static<typeof ChannelTestResult>

export const FlaggedDeliveriesQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false })
export type FlaggedDeliveriesQuery = Static<typeof FlaggedDeliveriesQuery>

export const FlaggedDelivery = Type.Object({
  id: Id,
  platform: PlatformSchema,
  receivedAt: Millis,
  flag: Text(64),
  flagDetail: Type.Union([Text(CHANNEL_LIMITS.flagDetail), Type.Null()]),
  /** The accounts the delivery named that no channel knew, and whether one does now. */
  accounts: Type.Array(Type.Object({ platform: PlatformSchema, accountId: Text(CHANNEL_LIMITS.accountId), known: Type.Boolean() }), { maxItems: 50 }),
  /** Size of the raw body in bytes (the body itself never goes to the browser). */
  bytes: Type.Integer({ minimum: 0 }),
})
export type FlaggedDelivery = Static<typeof FlaggedDelivery>

export const FlaggedDeliveryList = Type.Array(FlaggedDelivery, { maxItems: 200 })

/** Longest processing error kept on a delivery. */
export const DELIVERY_ERROR_MAX = 1000

/** A delivery answered 2xx whose processing then failed: the superadmin may process it again. */
export const FailedDelivery = Type.Object({
  id: Id,
  platform: PlatformSchema,
  /** The channel it arrived for, when known before processing (a Meta delivery may address several). */
  channel: Type.Union([Type.Object({ id: Id, name: Text(CHANNEL_LIMITS.name) }), Type.Null()]),
  receivedAt: Millis,
  attempts: Type.Integer({ minimum: 0 }),
  error: Text(DELIVERY_ERROR_MAX),
  /** Website questions: the tracking code the citizen holds. */
  trackingCode: Type.Union([Text(LIMITS.trackingCode), Type.Null()]),
})
export type FailedDelivery = Static<typeof FailedDelivery>

export const FailedDeliveryList = Type.Array(FailedDelivery, { maxItems: 200 })

/** A page of failed deliveries: the newest, or those older than `before` (an id from the previous page). */
export const FailedDeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), before: Type.Optional(Id) },
  { additionalProperties: false },
)
export type FailedDeliveriesQuery = Static<typeof FailedDeliveriesQuery>

export const DeliveryIdParams = Type.Object({ id: Id })

/** A failed delivery put back in the queue. */
export const RetriedDelivery = Type.Object({ id: Id, state: Type.Literal('pending') })
export type RetriedDelivery = Static<typeof RetriedDelivery>
