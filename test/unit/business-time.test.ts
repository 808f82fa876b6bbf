// Working-time arithmetic against hand-computed cases (WIB, default Tegal calendar with the 2025–2027
// holidays and cuti bersama) and properties that must hold for any calendar and moment.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addWorking, alwaysOpenCalendar, defaultCalendar, hm, isWorking, localMidnight, workingBetween, type Calendar } from '@tanggap/shared'

const cal = defaultCalendar()
/** A WIB wall-clock time as epoch ms. */
const wib = (s: string) => Date.parse(`${s}+07:00`)
const H = 3600

describe('addWorking on the default calendar (WIB)', () => {
  it.each([
    // [start, working seconds, expected due, why]
    ['2026-11-23T09:00:00', 2 * H, '2026-11-23T11:00:00', 'inside one morning frame'],
    ['2026-11-23T11:00:00', 2 * H, '2026-11-23T14:00:00', 'across the 12:00–13:00 lunch break'],
    ['2026-11-23T15:30:00', 2 * H, '2026-11-24T09:00:00', 'across the night: 30 min Monday, 90 min Tuesday'],
    ['2026-11-23T20:00:00', 2 * H, '2026-11-24T09:30:00', 'a message at night starts counting at 07:30'],
    ['2026-11-27T11:00:00', 1 * H, '2026-11-27T13:30:00', 'Friday: morning ends 11:30, afternoon starts 13:00'],
    ['2026-11-27T16:00:00', 1 * H, '2026-11-30T08:00:00', 'Friday afternoon runs to 16:30, then the weekend'],
    ['2026-11-28T10:00:00', 1 * H, '2026-11-30T08:30:00', 'a Saturday message waits for Monday'],
    // Friday 15:50 before a Monday holiday: 2026-08-17 (HUT RI) is a Monday. 40 min Friday, then Tuesday.
    ['2026-08-14T15:50:00', 2 * H, '2026-08-18T08:50:00', 'DM at Friday 15:50 WIB before a Monday holiday'],
    // Last working day before Idulfitri 1447 H: Tue 17 Mar 2026; 18 (cuti), 19 (Nyepi), 20 (cuti), 21–22 (Idulfitri), 23–24 (cuti) are closed.
    // 2 h on Tuesday, 4.5 h on Wednesday 25 morning, 1.5 h after lunch.
    ['2026-03-17T14:00:00', 8 * H, '2026-03-25T14:30:00', 'comment on the last working day before Idulfitri cuti bersama'],
    ['2025-08-15T16:00:00', 1 * H, '2025-08-19T08:00:00', '2025: HUT RI on Sunday and the added cuti bersama on Monday 18 Aug'],
    ['2026-11-23T09:00:00', 3 * 7.5 * H, '2026-11-26T09:00:00', 'three working days of 7.5 hours'],
  ])('%s + %ss → %s (%s)', (start, seconds, due) => {
    expect(new Date(addWorking(cal, wib(start), seconds)).toISOString()).toBe(new Date(wib(due)).toISOString())
  })

  it('is exact to the second', () => {
    expect(addWorking(cal, wib('2026-11-23T11:59:59'), 2)).toBe(wib('2026-11-23T13:00:01'))
  })

  it('returns the start itself for zero seconds, even outside working time', () => {
    expect(addWorking(cal, wib('2026-11-28T10:00:00'), 0)).toBe(wib('2026-11-28T10:00:00'))
  })
})

describe('workingBetween', () => {
  it('counts only working time', () => {
    expect(workingBetween(cal, wib('2026-11-27T15:50:00'), wib('2026-11-30T08:00:00'))).toBe(40 * 60 + 30 * 60)
    expect(workingBetween(cal, wib('2026-11-23T12:10:00'), wib('2026-11-23T12:50:00'))).toBe(0)
    expect(workingBetween(cal, wib('2026-12-24T08:00:00'), wib('2026-12-25T15:00:00'))).toBe(0)
    expect(workingBetween(cal, wib('2026-11-24T08:00:00'), wib('2026-11-23T08:00:00'))).toBe(-7.5 * H)
  })

  it('counts a whole week of the default calendar as 37.5 hours (Perpres 21/2023)', () => {
    expect(workingBetween(cal, wib('2026-11-23T00:00:00'), wib('2026-11-30T00:00:00'))).toBe(37.5 * H)
  })
})

describe('other calendars', () => {
  it('counts every second on a 24/7 calendar (RSUD, BPBD, Damkar)', () => {
    const open = alwaysOpenCalendar()
    expect(addWorking(open, wib('2026-08-17T23:00:00'), 2 * H)).toBe(wib('2026-08-18T01:00:00'))
    expect(workingBetween(open, wib('2026-08-17T00:00:00'), wib('2026-08-18T00:00:00'))).toBe(24 * H)
  })

  it('honours another time zone (WITA) and one-off days', () => {
    const wita: Calendar = { ...defaultCalendar('Asia/Makassar'), specialDays: { '2026-11-28': [{ start: hm('08:00'), end: hm('12:00') }] } }
    // 07:30 WITA is 06:30 WIB: a WIB moment of 06:45 is inside WITA working time.
    expect(isWorking(wita, wib('2026-11-23T06:45:00'))).toBe(true)
    expect(isWorking(cal, wib('2026-11-23T06:45:00'))).toBe(false)
    // A Saturday made a working morning.
    expect(workingBetween(wita, Date.parse('2026-11-28T08:00:00+08:00'), Date.parse('2026-11-28T13:00:00+08:00'))).toBe(4 * H)
  })
})

describe('properties', () => {
  const moment = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-06-30T00:00:00Z') })
  const seconds = fc.integer({ min: 0, max: 30 * 24 * H })
  const calendars = fc.constantFrom(cal, alwaysOpenCalendar(), defaultCalendar('Asia/Jayapura'))

  it('workingBetween(a, addWorking(a, d)) = d', () => {
    fc.assert(
      fc.property(calendars, moment, seconds, (c, a, d) => workingBetween(c, a, addWorking(c, a, d)) === d),
      { numRuns: 500 },
    )
  })

  it('addWorking is monotone in the start and in the duration', () => {
    fc.assert(
      fc.property(calendars, moment, moment, seconds, seconds, (c, a, b, d1, d2) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const [s1, s2] = d1 <= d2 ? [d1, d2] : [d2, d1]
        return addWorking(c, lo, s1) <= addWorking(c, hi, s1) && addWorking(c, lo, s1) <= addWorking(c, lo, s2)
      }),
      { numRuns: 300 },
    )
  })

  it('time outside the calendar adds nothing', () => {
    // Any stretch inside one closed day (a Sunday, a holiday) or one lunch break counts zero.
    const closed = fc.constantFrom(
      ['2026-11-29T00:00:00', '2026-11-29T23:59:59'],
      ['2026-08-17T00:00:00', '2026-08-17T23:59:59'],
      ['2026-11-23T12:00:00', '2026-11-23T13:00:00'],
      ['2026-11-27T11:30:00', '2026-11-27T13:00:00'],
    )
    fc.assert(
      fc.property(closed, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ([from, to], x, y) => {
        const a = wib(from!)
        const span = wib(to!) - a
        const [p, q] = [Math.floor(a + span * Math.min(x, y)), Math.floor(a + span * Math.max(x, y))]
        return workingBetween(cal, p, q) === 0
      }),
    )
  })

  it('adding in two steps equals adding at once', () => {
    fc.assert(
      fc.property(calendars, moment, seconds, seconds, (c, a, d1, d2) => addWorking(c, addWorking(c, a, d1), d2) === addWorking(c, a, d1 + d2)),
      { numRuns: 300 },
    )
  })
})

describe('localMidnight (the board\'s "today")', () => {
  it('is the start of the local day in the regency’s zone, not UTC’s', () => {
    // 06:30 WIB is 23:30 UTC the day before: today in Tegal began at 00:00 WIB.
    expect(localMidnight('Asia/Jakarta', wib('2026-11-24T06:30:00'))).toBe(wib('2026-11-24T00:00:00'))
    expect(localMidnight('Asia/Jakarta', wib('2026-11-24T23:59:59'))).toBe(wib('2026-11-24T00:00:00'))
    expect(localMidnight('Asia/Makassar', Date.parse('2026-11-24T00:30:00+08:00'))).toBe(Date.parse('2026-11-24T00:00:00+08:00'))
    expect(localMidnight('Asia/Jayapura', Date.parse('2026-11-24T12:00:00+09:00'))).toBe(Date.parse('2026-11-24T00:00:00+09:00'))
  })
})
