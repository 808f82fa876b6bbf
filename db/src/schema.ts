// The whole data model. Times are epoch milliseconds (integers); platform ids are text.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { DeliveryState, ItemKind, ItemStatus, Platform, Priority, ReplyState, Role, SlaConditions, TimeFrame } from '@tanggap/shared'

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
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    opdId: integer('opd_id')
      .notNull()
      .references(() => opds.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.opdId] })],
)

export const sessions = sqliteTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database holds no usable session. */
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
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
    opdId: integer('opd_id')
      .notNull()
      .references(() => opds.id),
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
    // No AUTOINCREMENT: deliveries are never deleted (old bodies are pruned, rows stay), so ids only
    // grow, and every insert skips the sqlite_sequence update.
    id: integer('id').primaryKey(),
    platform: text('platform').$type<Platform>().notNull(),
    channelId: integer('channel_id').references(() => channels.id),
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** The website form's tracking code, known before the delivery is processed. */
    trackingCode: text('tracking_code'),
    /** The body exactly as received; empty once pruned (see prunedAt). */
    rawBody: blob('raw_body', { mode: 'buffer' }).notNull(),
    /** Website questions: the hash of the question (questionHash), which a reused Idempotency-Key must match. */
    bodyHash: text('body_hash'),
    state: text('state').$type<DeliveryState>().notNull().default('pending'),
    /** Set for deliveries the superadmin should look at, e.g. 'unknown_account'. */
    flag: text('flag'),
    /** The platform account ids a flagged delivery named. */
    flagDetail: text('flag_detail'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
    /** When the raw body was emptied, its retention period over; what was made of it stays. */
    prunedAt: integer('pruned_at'),
  },
  // Partial indexes: almost every delivery is processed, unflagged and has no tracking code, so
  // these stay small and an insert touches only the dedupe index besides the table. Queries must
  // name the state as a literal (state = 'pending'), not as a bound parameter, to use them.
  (t) => [
    index('deliveries_pending').on(t.id).where(sql`state = 'pending'`),
    index('deliveries_failed').on(t.id).where(sql`state = 'failed'`),
    index('deliveries_flagged').on(t.flag).where(sql`flag IS NOT NULL`),
    // Bodies whose processing is final and not yet pruned, by when: rows enter it when processed
    // (never on insert, which stays lean) and leave it when pruned.
    index('deliveries_prunable').on(t.processedAt).where(sql`state = 'processed' AND flag IS NULL AND pruned_at IS NULL`),
    uniqueIndex('deliveries_tracking_code').on(t.trackingCode).where(sql`tracking_code IS NOT NULL`),
  ],
)

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id),
    opdId: integer('opd_id')
      .notNull()
      .references(() => opds.id),
    platform: text('platform').$type<Platform>().notNull(),
    kind: text('kind').$type<ItemKind>().notNull(),
    /** The platform's id of the thread root (comment id, conversation id, tracking code). */
    externalThreadId: text('external_thread_id').notNull(),
    trackingCode: text('tracking_code').unique(),
    status: text('status').$type<ItemStatus>().notNull().default('open'),
    citizenName: text('citizen_name').notNull(),
    citizenContact: text('citizen_contact'),
    topic: text('topic'),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
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
    /** The same in working seconds under the item's calendar. */
    firstResponseWorkingSeconds: integer('first_response_working_seconds'),
    /** The SLA policy chosen when the item arrived (re-chosen when a condition such as the OPD changes). */
    policyId: integer('policy_id'),
    /** Due moment of the open awaiting period (denormalized for sorting the inbox by urgency). */
    dueAt: integer('due_at'),
    warnAt: integer('warn_at'),
    breachedAt: integer('breached_at'),
    /** Closed as spam or "no response needed": out of the SLA figures, in the volume counts. */
    excludedReason: text('excluded_reason'),
    closedAt: integer('closed_at'),
    resolutionDueAt: integer('resolution_due_at'),
    resolutionBreachedAt: integer('resolution_breached_at'),
    /** While waiting for the citizen (a policy may pause the resolution clock): since when. */
    pausedSince: integer('paused_since'),
    /** Working seconds the resolution clock was paused in total. */
    pausedSeconds: integer('paused_seconds').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('items_channel_thread').on(t.channelId, t.externalThreadId),
    index('items_opd').on(t.opdId, t.id),
    index('items_status').on(t.status, t.id),
    index('items_due').on(t.dueAt),
    // The SLA scheduler looks for the earliest running resolution clock several times a second.
    index('items_resolution_running')
      .on(t.resolutionDueAt)
      .where(sql`closed_at IS NULL AND excluded_reason IS NULL AND resolution_breached_at IS NULL AND paused_since IS NULL`),
  ],
)

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
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
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id),
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
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    state: text('state').$type<ReplyState>().notNull().default('pending'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The platform's id of the sent message. */
    externalId: text('external_id'),
  },
  (t) => [index('replies_item').on(t.itemId), index('replies_state').on(t.state), index('replies_external').on(t.externalId)],
)

export const dispositions = sqliteTable(
  'dispositions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    fromOpdId: integer('from_opd_id')
      .notNull()
      .references(() => opds.id),
    toOpdId: integer('to_opd_id')
      .notNull()
      .references(() => opds.id),
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
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id),
    /** YYYY-MM-DD in the platform's quota time zone. */
    day: text('day').notNull(),
    units: integer('units').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.day] })],
)

/** Working calendars: frames per weekday, closed days and one-off days, a time zone, or 24/7. */
export const calendars = sqliteTable('calendars', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  alwaysOpen: integer('always_open', { mode: 'boolean' }).notNull().default(false),
  week: text('week', { mode: 'json' }).$type<TimeFrame[][]>().notNull(),
  closedDays: text('closed_days', { mode: 'json' }).$type<string[]>().notNull(),
  specialDays: text('special_days', { mode: 'json' }).$type<Record<string, TimeFrame[]>>().notNull().default(sql`'{}'`),
  updatedAt: integer('updated_at').notNull(),
})

/** SLA policies, tried in position order: the first whose conditions match an item applies. */
export const slaPolicies = sqliteTable('sla_policies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  conditions: text('conditions', { mode: 'json' }).$type<SlaConditions>().notNull(),
  calendarId: integer('calendar_id')
    .notNull()
    .references(() => calendars.id),
  firstResponseSeconds: integer('first_response_seconds').notNull(),
  nextResponseSeconds: integer('next_response_seconds').notNull(),
  resolutionSeconds: integer('resolution_seconds'),
  /** Warning at this share of the target (0.75: a quarter of the time left). */
  warnRatio: real('warn_ratio').notNull().default(0.75),
  /** Pause the resolution clock while the item waits for the citizen. */
  pauseWhileWaiting: integer('pause_while_waiting', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  updatedAt: integer('updated_at').notNull(),
})

/** Awaiting periods: from a citizen message no reply has followed, to the government's reply. */
export const slaPeriods = sqliteTable(
  'sla_periods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    /** first: the thread's first awaiting period · next: a later one. */
    kind: text('kind').$type<'first' | 'next'>().notNull(),
    startedAt: integer('started_at').notNull(),
    policyId: integer('policy_id')
      .notNull()
      .references(() => slaPolicies.id),
    targetSeconds: integer('target_seconds').notNull(),
    dueAt: integer('due_at').notNull(),
    warnAt: integer('warn_at').notNull(),
    warnedAt: integer('warned_at'),
    /** Recorded at the moment of due, whenever the scheduler noticed. */
    breachedAt: integer('breached_at'),
    breachOpdId: integer('breach_opd_id').references(() => opds.id),
    answeredAt: integer('answered_at'),
    responseSeconds: integer('response_seconds'),
    responseWorkingSeconds: integer('response_working_seconds'),
    /** The OPD that answered (or held the item at its exclusion). */
    answerOpdId: integer('answer_opd_id').references(() => opds.id),
    excluded: integer('excluded', { mode: 'boolean' }).notNull().default(false),
  },
  // The scheduler's "what fires next" reads only periods still running: partial indexes keep that
  // instant however many answered or breached periods pile up.
  (t) => [
    index('sla_periods_item').on(t.itemId),
    index('sla_periods_pending_breach').on(t.dueAt).where(sql`answered_at IS NULL AND excluded = 0 AND breached_at IS NULL`),
    index('sla_periods_pending_warning').on(t.warnAt).where(sql`answered_at IS NULL AND excluded = 0 AND warned_at IS NULL`),
  ],
)

/** What happened to response times, as it happened, with the OPD responsible at that moment. */
export const metricEvents = sqliteTable(
  'metric_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type')
      .$type<'first_response' | 'next_response' | 'warning' | 'breach' | 'resolution' | 'resolution_breach' | 'excluded' | 'handoff'>()
      .notNull(),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    periodId: integer('period_id').references(() => slaPeriods.id),
    opdId: integer('opd_id')
      .notNull()
      .references(() => opds.id),
    platform: text('platform').$type<Platform>().notNull(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id),
    at: integer('at').notNull(),
    /** The start of the awaiting period (reports group by the week it started in). */
    periodStartedAt: integer('period_started_at'),
    seconds: integer('seconds'),
    workingSeconds: integer('working_seconds'),
    withinSla: integer('within_sla', { mode: 'boolean' }),
    detail: text('detail'),
  },
  (t) => [index('metric_events_at').on(t.at), index('metric_events_opd').on(t.opdId, t.at), index('metric_events_item').on(t.itemId)],
)
