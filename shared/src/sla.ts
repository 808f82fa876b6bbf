// Contracts of the SLA settings (calendars, policies) and of the supervisor's live board.
import Type, { type Static } from 'typebox'
import { Id, ItemKindSchema, ItemSummary, Millis, OpdRef, PlatformSchema } from './api.ts'
import { PRIORITIES } from './constants.ts'

const Frame = Type.Object(
  { start: Type.Integer({ minimum: 0, maximum: 1440 }), end: Type.Integer({ minimum: 0, maximum: 1440 }) },
  { additionalProperties: false },
)
const Frames = Type.Array(Frame, { maxItems: 12 })
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })

export const CalendarBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    alwaysOpen: Type.Boolean(),
    /** Frames per weekday, 0 = Sunday … 6 = Saturday; minutes after local midnight. */
    week: Type.Array(Frames, { minItems: 7, maxItems: 7 }),
    closedDays: Type.Array(DateString, { maxItems: 2000 }),
    specialDays: Type.Record(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Frames),
  },
  { additionalProperties: false },
)
export type CalendarBody = Static<typeof CalendarBody>

export const CalendarView = Type.Intersect([Type.Object({ id: Id }), CalendarBody])
export type CalendarView = Static<typeof CalendarView>

export const PolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    position: Type.Integer({ minimum: 0, maximum: 10_000 }),
    conditions: Type.Object(
      {
        platforms: Type.Optional(Type.Array(PlatformSchema, { maxItems: 10 })),
        kinds: Type.Optional(Type.Array(ItemKindSchema, { maxItems: 10 })),
        opdIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
        priorities: Type.Optional(Type.Array(Type.Enum(PRIORITIES), { maxItems: 5 })),
      },
      { additionalProperties: false },
    ),
    calendarId: Id,
    firstResponseSeconds: Type.Integer({ minimum: 1, maximum: 90 * 86_400 }),
    nextResponseSeconds: Type.Integer({ minimum: 1, maximum: 90 * 86_400 }),
    resolutionSeconds: Type.Union([Type.Integer({ minimum: 1, maximum: 365 * 86_400 }), Type.Null()]),
    warnRatio: Type.Number({ minimum: 0.05, maximum: 0.99 }),
    pauseWhileWaiting: Type.Boolean(),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type PolicyBody = Static<typeof PolicyBody>

export const PolicyView = Type.Intersect([Type.Object({ id: Id }), PolicyBody])
export type PolicyView = Static<typeof PolicyView>

export const BoardQuery = Type.Object({ platform: Type.Optional(PlatformSchema), channel: Type.Optional(Id) }, { additionalProperties: false })
export type BoardQuery = Static<typeof BoardQuery>

export const BoardTile = Type.Object({
  opd: OpdRef,
  /** Items awaiting an answer. */
  open: Type.Integer({ minimum: 0 }),
  /** Awaiting, past the warning point, not yet due. */
  nearDue: Type.Integer({ minimum: 0 }),
  /** Awaiting and past due. */
  breached: Type.Integer({ minimum: 0 }),
  /** Median first response of answers given today (WIB): wall-clock and working seconds. */
  medianFirstResponseSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  medianFirstResponseWorkingSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  answeredToday: Type.Integer({ minimum: 0 }),
})
export type BoardTile = Static<typeof BoardTile>

/**
 * A breach charged to an OPD (the one holding the item at due time). The item is shown only to
 * those who may open it where it is now; for an item since moved to an OPD this user may not see,
 * item is null and `ref` (the breach's own id, which opens nothing) tells entries apart.
 */
export const BoardBreach = Type.Union([
  Type.Object({ at: Millis, opd: OpdRef, item: ItemSummary }),
  Type.Object({ at: Millis, opd: OpdRef, item: Type.Null(), ref: Id }),
])
export type BoardBreach = Static<typeof BoardBreach>

export const Board = Type.Object({
  tiles: Type.Array(BoardTile, { maxItems: 500 }),
  /** The latest breaches, newest first. */
  breaches: Type.Array(BoardBreach, { maxItems: 100 }),
  generatedAt: Millis,
})
export type Board = Static<typeof Board>
