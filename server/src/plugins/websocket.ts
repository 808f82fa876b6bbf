// /ws: pushes item events to signed-in users, each only for the OPDs they may see. Every event is
// serialized once per frame shape and written to the matching sockets.
import websocket from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import type { ServerEvent, ServerFrame } from '@tanggap/shared'
import type { EventBus } from '../events/bus.ts'
import { canSeeOpd, type UserActor } from '../lib/context.ts'
import { AppError } from '../lib/errors.ts'
import { userActor } from './auth.ts'

interface Client {
  socket: WebSocket
  actor: UserActor
}

/** Above this many queued bytes a client is too slow to keep up and is dropped (it reconnects and refetches). */
const MAX_BUFFERED = 4 * 1024 * 1024
const SESSION_CHECK_MS = 60_000

/** What a browser gets of an event: everything but the routing hints. */
function toFrame(e: ServerEvent): ServerFrame {
  return e.type === 'item.updated' ? { type: e.type, item: e.item } : e
}

export interface HubDeps {
  /** Whether a session (by its hash) is still signed in. */
  sessionValid(hash: string): boolean
  /** The OPD holding an item now (the database is the truth; an event's summary is a snapshot). */
  opdOf(itemId: number): number | undefined
}

/** The host an Origin header names; null for `null` (sandboxed pages, file: URLs) and anything unparseable. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host || null
  } catch {
    return null
  }
}

export interface Hub {
  size(): number
  closeSession(sessionHash: string): void
}

export async function registerWebsocket(app: FastifyInstance, bus: EventBus, { sessionValid, opdOf }: HubDeps): Promise<Hub> {
  const clients = new Set<Client>()

  const send = (c: Client, frame: string) => {
    if (c.socket.readyState !== c.socket.OPEN) return
    if (c.socket.bufferedAmount > MAX_BUFFERED) return c.socket.close(1013, 'too slow')
    c.socket.send(frame)
  }

  // The item routes' rule: an item's content goes only to those who may see the OPD holding it
  // now. A summary taken before a move can arrive after it (events of other processes overtake
  // each other in redis mode): it goes to no one, and whoever saw it where it was drops it.
  const deliver = (event: ServerEvent) => {
    if (!clients.size) return
    let full: string | undefined
    let removed: string | undefined
    const now = opdOf(event.item.id)
    const current = now !== undefined && now === event.item.opd.id
    const was = [event.item.opd.id]
    if (event.type === 'item.updated' && event.previousOpdId !== undefined) was.push(event.previousOpdId)
    for (const c of clients) {
      if (now !== undefined && canSeeOpd(c.actor, now)) {
        if (current) send(c, (full ??= JSON.stringify(toFrame(event))))
      } else if (was.some((opdId) => canSeeOpd(c.actor, opdId))) {
        send(c, (removed ??= JSON.stringify({ type: 'item.removed', itemId: event.item.id } satisfies ServerFrame)))
      }
    }
  }
  const unsubscribe = bus.subscribe(deliver)

  // Sessions end by logout (closeSession) or by expiry (this sweep).
  const sweep = setInterval(() => {
    const checked = new Map<string, boolean>()
    for (const c of clients) {
      const hash = c.actor.sessionHash
      if (!checked.has(hash)) checked.set(hash, sessionValid(hash))
      if (!checked.get(hash)) c.socket.close(4001, 'session ended')
    }
  }, SESSION_CHECK_MS)
  sweep.unref()

  await app.register(websocket, { options: { maxPayload: 4096 } })
  app.addHook('onClose', async () => {
    clearInterval(sweep)
    unsubscribe()
    for (const c of clients) c.socket.terminate()
  })

  app.get(
    '/ws',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (req) => {
        userActor(req)
        // A page on another site must not open a socket with this user's cookie.
        const origin = req.headers.origin
        if (origin !== undefined && originHost(origin) !== req.headers.host) throw new AppError('FORBIDDEN', 'Cross-origin websocket refused')
      },
    },
    (socket, req) => {
      const client: Client = { socket, actor: userActor(req) }
      clients.add(client)
      socket.on('close', () => clients.delete(client))
      // The server only pushes; anything a client sends is ignored.
      socket.on('message', () => {})
      socket.send(JSON.stringify({ type: 'hello', userId: client.actor.userId } satisfies ServerFrame))
    },
  )

  return {
    size: () => clients.size,
    closeSession(sessionHash) {
      for (const c of clients) if (c.actor.sessionHash === sessionHash) c.socket.close(4001, 'signed out')
    },
  }
}
