// Request and response contracts of the HTTP API. The server validates and serializes with these
// (response schemas are allowlists) and the web app takes its types from them.
import Type, { type Static } from 'typebox'
import { ITEM_KINDS, ITEM_STATUSES, LIMITS, PLATFORMS, PRIORITIES, REPLY_STATES, ROLES } from './constants.ts'

const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength })

export const Id = Type.Integer({ minimum: 1 })
/** Epoch milliseconds. */
export const Millis = Type.Integer({ minimum: 0 })
export const RoleSchema = Type.Enum(ROLES)
export const PlatformSchema = Type.Enum(PLATFORMS)
export const ItemStatusSchema = Type.Enum(ITEM_STATUSES)
export const ItemKindSchema = Type.Enum(ITEM_KINDS)
export const ReplyStateSchema = Type.Enum(REPLY_STATES)

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Text(64),
    message: Text(500),
    requestId: Text(128),
    fields: Type.Optional(Type.Array(Text(200), { maxItems: 50 })),
  }),
})
export type ErrorBody = Static<typeof ErrorBody>

// ---- auth ----
export const LoginBody = Type.Object({ username: Text(LIMITS.username, 1), password: Text(LIMITS.password, 1) }, { additionalProperties: false })
export type LoginBody = Static<typeof LoginBody>

export const OpdRef = Type.Object({ id: Id, code: Text(LIMITS.opdCode), name: Text(200), shortName: Text(80) })
export type OpdRef = Static<typeof OpdRef>

export const Session = Type.Object({
  user: Type.Object({ id: Id, username: Text(LIMITS.username), displayName: Text(LIMITS.name), role: RoleSchema }),
  opds: Type.Array(OpdRef, { maxItems: 200 }),
  csrfToken: Text(128),
})
export type Session = Static<typeof Session>

// ---- public website form ----
export const PublicQuestionBody = Type.Object(
  {
    name: Text(LIMITS.name, 1),
    contact: Type.Optional(Text(LIMITS.contact)),
    text: Text(LIMITS.questionText, 5),
    topic: Type.Optional(Text(32)),
    opdCode: Type.Optional(Text(LIMITS.opdCode)),
    /** Honeypot: hidden from people, filled in by bots. */
    website: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
)
export type PublicQuestionBody = Static<typeof PublicQuestionBody>

export const PublicQuestionAccepted = Type.Object({ trackingCode: Text(LIMITS.trackingCode), statusUrl: Text(300) })
export type PublicQuestionAccepted = Static<typeof PublicQuestionAccepted>

export const PublicStatus = Type.Object({
  trackingCode: Text(LIMITS.trackingCode),
  /** received: stored, not yet routed · open · answered · closed */
  status: Type.Union([Type.Literal('received'), ItemStatusSchema]),
  question: Text(LIMITS.questionText),
  askedAt: Millis,
  opdName: Type.Union([Text(200), Type.Null()]),
  answers: Type.Array(Type.Object({ text: Text(LIMITS.replyText), at: Millis, opdName: Text(200) }), { maxItems: 100 }),
})
export type PublicStatus = Static<typeof PublicStatus>

export const PublicOptions = Type.Object({
  topics: Type.Array(Type.Object({ code: Text(32), label: Type.Object({ id: Text(200), en: Text(200) }) }), { maxItems: 100 }),
  opds: Type.Array(OpdRef, { maxItems: 200 }),
})
export type PublicOptions = Static<typeof PublicOptions>

// ---- inbox ----
export const ItemSummary = Type.Object({
  id: Id,
  opd: OpdRef,
  channelId: Id,
  channelName: Text(200),
  platform: PlatformSchema,
  kind: ItemKindSchema,
  status: ItemStatusSchema,
  citizenName: Text(LIMITS.name),
  preview: Text(300),
  trackingCode: Type.Union([Text(LIMITS.trackingCode), Type.Null()]),
  firstMessageAt: Millis,
  lastMessageAt: Millis,
  awaitingSince: Type.Union([Millis, Type.Null()]),
  firstResponseSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  priority: Type.Enum(PRIORITIES),
  /** The open awaiting period's due and warning moments; null when nothing awaits an answer. */
  dueAt: Type.Union([Millis, Type.Null()]),
  warnAt: Type.Union([Millis, Type.Null()]),
  /** Set when the open awaiting period passed its due time unanswered. */
  breachedAt: Type.Union([Millis, Type.Null()]),
  /** The calendar the due time is counted on (for a countdown in working time). */
  calendarId: Type.Union([Id, Type.Null()]),
  excludedReason: Type.Union([Type.Literal('spam'), Type.Literal('no_response_needed'), Type.Null()]),
  updatedAt: Millis,
})
export type ItemSummary = Static<typeof ItemSummary>

export const MessageView = Type.Object({
  id: Id,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  authorName: Text(LIMITS.name),
  text: Text(LIMITS.questionText),
  sentAt: Millis,
  editedAt: Type.Union([Millis, Type.Null()]),
  deletedAt: Type.Union([Millis, Type.Null()]),
})
export type MessageView = Static<typeof MessageView>

export const ReplyView = Type.Object({
  id: Id,
  text: Text(LIMITS.replyText),
  state: ReplyStateSchema,
  error: Type.Union([Text(500), Type.Null()]),
  authorName: Text(LIMITS.name),
  createdAt: Millis,
  sentAt: Type.Union([Millis, Type.Null()]),
})
export type ReplyView = Static<typeof ReplyView>

export const ItemDetail = Type.Object({
  item: ItemSummary,
  citizenContact: Type.Union([Text(LIMITS.contact), Type.Null()]),
  firstResponseAt: Type.Union([Millis, Type.Null()]),
  /** When a free-form reply stops being allowed (WhatsApp, Messenger, Instagram DMs: 24 h after the citizen's last message); null: no window. */
  replyWindowClosesAt: Type.Union([Millis, Type.Null()]),
  messages: Type.Array(MessageView, { maxItems: 1000 }),
  replies: Type.Array(ReplyView, { maxItems: 1000 }),
})
export type ItemDetail = Static<typeof ItemDetail>

/** urgency: items with a due time first, earliest due first (breached ones lead), then the rest newest first. newest: by id, newest first. */
export const ITEM_SORTS = ['urgency', 'newest'] as const
export type ItemSort = (typeof ITEM_SORTS)[number]
export const ItemSortSchema = Type.Union([Type.Literal('urgency'), Type.Literal('newest')])

export const ItemListQuery = Type.Object(
  {
    status: Type.Optional(ItemStatusSchema),
    opd: Type.Optional(Id),
    channel: Type.Optional(Id),
    platform: Type.Optional(PlatformSchema),
    /** Default: urgency. A cursor only continues the order it came from. */
    sort: Type.Optional(ItemSortSchema),
    cursor: Type.Optional(Text(64)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
)
export type ItemListQuery = Static<typeof ItemListQuery>

export const ItemPage = Type.Object({
  items: Type.Array(ItemSummary, { maxItems: 100 }),
  nextCursor: Type.Union([Text(64), Type.Null()]),
})
export type ItemPage = Static<typeof ItemPage>

export const ItemIdParams = Type.Object({ id: Id })

/** A channel as any signed-in user may see it (filter lists): no account ids, no secrets. */
export const ChannelOption = Type.Object({ id: Id, name: Text(200), platform: PlatformSchema, opd: OpdRef })
export type ChannelOption = Static<typeof ChannelOption>
export const ChannelOptionList = Type.Array(ChannelOption, { maxItems: 1000 })

export const ReplyBody = Type.Object({ text: Text(LIMITS.replyText, 1) }, { additionalProperties: false })
export type ReplyBody = Static<typeof ReplyBody>

export const StatusBody = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    /** Closing as spam or "no response needed" takes the item out of the SLA figures (it stays in volume counts). */
    reason: Type.Optional(Type.Union([Type.Literal('spam'), Type.Literal('no_response_needed')])),
  },
  { additionalProperties: false },
)
export type StatusBody = Static<typeof StatusBody>

export const DispositionBody = Type.Object({ toOpdId: Id, reason: Text(LIMITS.reason, 3) }, { additionalProperties: false })
export type DispositionBody = Static<typeof DispositionBody>
