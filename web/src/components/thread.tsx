import type { ItemDetail, MessageView, ReplyView } from '@tanggap/shared'
import { useI18n } from '../i18n.ts'
import { formatDateTime } from '../time.ts'
import { ReplyStateBadge } from './status-badge.tsx'
import { UntrustedText } from './untrusted-text.tsx'

type Entry = { kind: 'message'; at: number; message: MessageView } | { kind: 'reply'; at: number; reply: ReplyView }

const ECHO_WINDOW_MS = 10 * 60_000

/**
 * Citizen messages and our replies in time order. A reply we sent can come back as an outgoing
 * message (the platform's echo); the reply, which carries the delivery state, is shown once.
 */
export function threadEntries(detail: ItemDetail): Entry[] {
  const replies = detail.replies
  const isEcho = (m: MessageView) =>
    m.direction === 'out' &&
    replies.some((r) => r.state === 'sent' && r.text.trim() === m.text.trim() && Math.abs((r.sentAt ?? r.createdAt) - m.sentAt) < ECHO_WINDOW_MS)
  const entries: Entry[] = [
    ...detail.messages.filter((m) => !isEcho(m)).map((message): Entry => ({ kind: 'message', at: message.sentAt, message })),
    ...replies.map((reply): Entry => ({ kind: 'reply', at: reply.sentAt ?? reply.createdAt, reply })),
  ]
  return entries.sort((a, b) => a.at - b.at)
}

export function Thread({ detail }: { detail: ItemDetail }) {
  const { t, lang } = useI18n()
  return (
    <ol className="thread" aria-label={t('detail.thread')}>
      {threadEntries(detail).map((e) =>
        e.kind === 'message' ? (
          <MessageBubble key={`m${e.message.id}`} message={e.message} />
        ) : (
          <li key={`r${e.reply.id}`} className={`bubble bubble-out reply-${e.reply.state}`} data-testid="thread-message" data-direction="out">
            <div className="bubble-meta">
              <span className="bubble-author">
                <UntrustedText text={e.reply.authorName} />
              </span>
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, lang)}</time>
            </div>
            <p className="bubble-text">
              <UntrustedText text={e.reply.text} />
            </p>
            <ReplyStateBadge state={e.reply.state} error={e.reply.error} />
          </li>
        ),
      )}
    </ol>
  )
}

/**
 * One citizen (or native government) message. An edited message says so with the time of the edit;
 * a deleted one says the sender removed it and keeps the original text, struck through.
 */
function MessageBubble({ message: m }: { message: MessageView }) {
  const { t, lang } = useI18n()
  const deleted = m.deletedAt !== null
  return (
    <li
      className={`bubble ${m.direction === 'in' ? 'bubble-in' : 'bubble-out'}${deleted ? ' bubble-deleted' : ''}`}
      data-testid="thread-message"
      data-direction={m.direction}
      data-edited={m.editedAt !== null ? 'true' : undefined}
      data-deleted={deleted ? 'true' : undefined}
    >
      <div className="bubble-meta">
        <span className="bubble-author">
          <UntrustedText text={m.authorName} />
        </span>
        <time dateTime={new Date(m.sentAt).toISOString()}>{formatDateTime(m.sentAt, lang)}</time>
      </div>
      {deleted ? (
        <>
          <p className="bubble-deleted-note" data-testid="message-deleted">
            {t('message.deleted')}
            {' · '}
            <time dateTime={new Date(m.deletedAt ?? 0).toISOString()}>{formatDateTime(m.deletedAt ?? 0, lang)}</time>
          </p>
          <p className="bubble-text">
            <span className="visually-hidden">{t('message.originalText')} </span>
            <del>
              <UntrustedText text={m.text} />
            </del>
          </p>
        </>
      ) : (
        <p className="bubble-text">
          <UntrustedText text={m.text} />
        </p>
      )}
      {m.editedAt !== null ? (
        <p className="bubble-edited muted small" data-testid="message-edited">
          <time dateTime={new Date(m.editedAt).toISOString()}>{t('message.edited', { time: formatDateTime(m.editedAt, lang) })}</time>
        </p>
      ) : null}
    </li>
  )
}
