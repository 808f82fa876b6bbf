// The web app places live frames by the same order the server lists (shared/src/inbox-order.ts):
// folding any sequence of frames into a loaded list leaves it exactly as a fresh server page would be.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareUrgency, type ItemSummary } from '@tanggap/shared'
import { applyEvent, placeItem } from '../../web/src/list-updates.ts'

const base: ItemSummary = {
  id: 1,
  opd: { id: 1, code: 'dpupr', name: 'DPUPR', shortName: 'DPUPR' },
  channelId: 1,
  channelName: 'Web',
  platform: 'website',
  kind: 'form',
  status: 'open',
  citizenName: 'Warga',
  preview: 'Tanya',
  trackingCode: null,
  firstMessageAt: 0,
  lastMessageAt: 0,
  awaitingSince: 0,
  firstResponseSeconds: null,
  priority: 'normal',
  dueAt: null,
  warnAt: null,
  breachedAt: null,
  calendarId: null,
  excludedReason: null,
  updatedAt: 0,
}
const item = (id: number, patch: Partial<ItemSummary> = {}): ItemSummary => ({ ...base, id, ...patch })

describe('urgency order on the client', () => {
  it('puts running due times first (earliest first, ties by id), then the rest newest first; closed items’ due times do not count', () => {
    const list = [
      item(1),
      item(2, { dueAt: 500 }),
      item(3, { dueAt: 100, breachedAt: 100 }),
      item(4, { dueAt: 50, status: 'closed' }),
      item(5, { dueAt: 500 }),
      item(6),
    ]
    expect([...list].sort(compareUrgency).map((x) => x.id)).toEqual([3, 2, 5, 6, 4, 1])
  })

  it('moves an updated item to its new place (answered: out of the due run) and places new ones', () => {
    let list = [item(3, { dueAt: 100 }), item(2, { dueAt: 500 }), item(6), item(1)]
    list = applyEvent(list, { type: 'item.updated', item: item(3, { dueAt: null, status: 'answered', updatedAt: 1 }) }, {}, false)
    expect(list.map((x) => x.id)).toEqual([2, 6, 3, 1])
    list = applyEvent(list, { type: 'item.created', item: item(7, { dueAt: 200 }) }, {}, false)
    expect(list.map((x) => x.id)).toEqual([7, 2, 6, 3, 1])
    list = applyEvent(list, { type: 'sla.breach', item: item(7, { dueAt: 200, breachedAt: 200 }), at: 200, opdId: 1 }, {}, false)
    expect(list.map((x) => x.id)).toEqual([7, 2, 6, 3, 1])
    expect(list[0]!.breachedAt).toBe(200)
  })

  it('leaves an item that belongs past the loaded part for "load more", and keeps newest-first under sort=newest', () => {
    const loaded = [item(3, { dueAt: 100 }), item(2, { dueAt: 500 })]
    expect(placeItem(loaded, item(9), 'urgency', true).map((x) => x.id)).toEqual([3, 2])
    expect(placeItem(loaded, item(9), 'urgency', false).map((x) => x.id)).toEqual([3, 2, 9])
    expect(placeItem([item(8), item(4)], item(6, { dueAt: 1 }), 'newest', true).map((x) => x.id)).toEqual([8, 6, 4])
  })

  it('any sequence of frames keeps the list in the server’s order', () => {
    const arbItem = fc.record({
      id: fc.integer({ min: 1, max: 30 }),
      dueAt: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
      status: fc.constantFrom('open' as const, 'answered' as const, 'closed' as const),
    })
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 60 }), (frames) => {
        let list: ItemSummary[] = []
        const truth = new Map<number, ItemSummary>()
        frames.forEach((f, i) => {
          const next = item(f.id, { dueAt: f.dueAt, status: f.status, updatedAt: i })
          const type = truth.has(f.id) ? 'item.updated' : 'item.created'
          truth.set(f.id, next)
          list = applyEvent(list, { type, item: next }, {}, false)
        })
        expect(list.map((x) => x.id)).toEqual([...truth.values()].sort(compareUrgency).map((x) => x.id))
      }),
    )
  })
})
