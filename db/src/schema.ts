// The whole data model. Times are epoch milliseconds (integers); platform ids are text.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { DeliveryState, ItemKind, ItemStatus, Platform, ReplyState, Role } from '@tanggap/shared'

const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`)

export const opds = sqliteTable('opds', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  /** setda · setwan · inspektorat · dinas · badan · rsud · kecamatan · bagian */
  kind: text('kind').notNull(),
  parentId: integer('parent_id'),
  /** The supervising unit whose triage queue takes what no rule could route. */
  isTriage: integer('is_triage', { mode: 'boolean' }).notNull().default(false),
  aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  validFrom: text('valid_from'),
  validTo: text('valid_to'),
  createdAt: createdAt(),
})

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
})

export const userOpds = sqliteTable(
  'user_opds',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    opdId: integer('opd_id').notNull().references(() => opds.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.opdId] })],
)

export const sessions = sqliteTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database holds no usable session. */
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
)

export const channels = sqliteTable(
  'channels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').$type<Platform>().notNull(),
    /** The platform's id of the account (page id, phone number id, bot id, …). */
    accountId: text('account_id').notNull(),
    name: text('name').notNull(),
    opdId: integer('opd_id').notNull().references(() => opds.id),
    /** AES-256-GCM sealed JSON of the channel's secrets; never returned by the API. */
    credentials: text('credentials'),
    /** Non-secret settings (e.g. a YouTube poll cursor); shown to the superadmin. */
    settings: text('settings', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    lastDeliveryAt: integer('last_delivery_at'),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('channels_platform_account').on(t.platform, t.accountId)],
)

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').$type<Platform>().notNull(),
    channelId: integer('channel_id').references(() => channels.id),
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** The website form's tracking code, known before the delivery is processed. */
    trackingCode: text('tracking_code').unique(),
    /** The body exactly as received. */
    rawBody: blob('raw_body', { mode: 'buffer' }).notNull(),
    state: text('state').$type<DeliveryState>().notNull().default('pending'),
    /** Set for deliveries the superadmin should look at, e.g. 'unknown_account'. */
    flag: text('flag'),
    /** The platform account ids a flagged delivery named. */
    flagDetail: text('flag_detail'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
  },
  (t) => [index('deliveries_state').on(t.state), index('deliveries_flag').on(t.flag)],
)

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: integer('channel_id').notNull().references(() => channels.id),
    opdId: integer('opd_id').notNull().references(() => opds.id),
    platform: text('platform').$type<Platform>().notNull(),
    kind: text('kind').$type<ItemKind>().notNull(),
    /** The platform's id of the thread root (comment id, conversation id, tracking code). */
    externalThreadId: text('external_thread_id').notNull(),
    trackingCode: text('tracking_code').unique(),
    status: text('status').$type<ItemStatus>().notNull().default('open'),
    citizenName: text('citizen_name').notNull(),
    citizenContact: text('citizen_contact'),
    topic: text('topic'),
    preview: text('preview').notNull(),
    firstMessageAt: integer('first_message_at').notNull(),
    lastMessageAt: integer('last_message_at').notNull(),
    /** Start of the current awaiting period; null while the last word is ours. */
    awaitingSince: integer('awaiting_since'),
    /** The citizen's last message: messaging windows (WhatsApp, Messenger, Instagram DMs) count from it. */
    lastInboundAt: integer('last_inbound_at'),
    firstResponseAt: integer('first_response_at'),
    /** Wall-clock seconds from the first awaiting start to the first government reply. */
    firstResponseSeconds: integer('first_response_seconds'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('items_channel_thread').on(t.channelId, t.externalThreadId),
    index('items_opd').on(t.opdId, t.id),
    index('items_status').on(t.status, t.id),
  ],
)

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').notNull().references(() => items.id),
    platform: text('platform').$type<Platform>().notNull(),
    externalId: text('external_id').notNull(),
    /** The platform id of the message this one answers, when the platform says. */
    parentExternalId: text('parent_external_id'),
    direction: text('direction').$type<'in' | 'out'>().notNull(),
    authorName: text('author_name').notNull(),
    authorExternalId: text('author_external_id'),
    text: text('text').notNull(),
    /** The platform's own time of the message. */
    sentAt: integer('sent_at').notNull(),
    deliveryId: integer('delivery_id').references(() => deliveries.id),
    editedAt: integer('edited_at'),
    deletedAt: integer('deleted_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('messages_platform_external').on(t.platform, t.externalId), index('messages_item').on(t.itemId)],
)

/** Earlier versions of a message: each edit or deletion keeps the text it replaced. */
export const messageRevisions = sqliteTable(
  'message_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id').notNull().references(() => messages.id),
    change: text('change').$type<'edit' | 'delete'>().notNull(),
    previousText: text('previous_text').notNull(),
    /** The platform's time of the change. */
    at: integer('at').notNull(),
    deliveryId: integer('delivery_id').references(() => deliveries.id),
  },
  (t) => [index('message_revisions_message').on(t.messageId)],
)

export const replies = sqliteTable(
  'replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').notNull().references(() => items.id),
    userId: integer('user_id').notNull().references(() => users.id),
    text: text('text').notNull(),
    state: text('state').$type<ReplyState>().notNull().default('pending'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The platform's id of the sent message. */
    externalId: text('external_id'),
  },
  (t) => [index('replies_item').on(t.itemId), index('replies_state').on(t.state)],
)

export const dispositions = sqliteTable(
  'dispositions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').notNull().references(() => items.id),
    fromOpdId: integer('from_opd_id').notNull().references(() => opds.id),
    toOpdId: integer('to_opd_id').notNull().references(() => opds.id),
    reason: text('reason').notNull(),
    userId: integer('user_id').references(() => users.id),
    at: integer('at').notNull(),
  },
  (t) => [index('dispositions_item').on(t.itemId)],
)

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    /** null for the system (jobs) and for citizens. */
    userId: integer('user_id').references(() => users.id),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    requestId: text('request_id'),
  },
  (t) => [index('audit_entity').on(t.entity, t.entityId)],
)

/** Platform API units spent per channel and day (YouTube's daily quota). */
export const apiQuota = sqliteTable(
  'api_quota',
  {
    channelId: integer('channel_id').notNull().references(() => channels.id),
    /** YYYY-MM-DD in the platform's quota time zone. */
    day: text('day').notNull(),
    units: integer('units').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.day] })],
)
