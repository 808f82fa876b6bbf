import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { LIMITS, type Platform, type ReplyView } from '@tanggap/shared'
import { postReply } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n, type MessageKey } from '../i18n.ts'
import { formatDateTime, formatDurationLong } from '../time.ts'
import { useNow } from '../use-now.ts'
import { ErrorAlert } from './error-alert.tsx'

/** Less than this left in the reply window: the notice turns to a warning. */
const WINDOW_WARN_MS = 60 * 60_000
const WINDOW_PLATFORMS: readonly Platform[] = ['whatsapp', 'facebook', 'instagram']

interface Props {
  itemId: number
  platform: Platform
  /** When a free-form reply stops being allowed (ItemDetail.replyWindowClosesAt); null: no window. */
  windowClosesAt: number | null
  onSent(reply: ReplyView): void
}

/**
 * The answer box: "Kirim balasan" or Ctrl+Enter; the text stays when sending fails. Where the
 * platform limits free-form replies to a window after the citizen's last message, the time left is
 * shown before anyone types, and the box is disabled once the window has passed.
 */
export function ReplyBox({ itemId, platform, windowClosesAt, onSent }: Props) {
  const { t } = useI18n()
  const now = useNow(15_000)
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const windowClosed = windowClosesAt !== null && now >= windowClosesAt
  const canSend = !sending && !windowClosed && text.trim().length > 0

  async function send() {
    if (!canSend) return
    setSending(true)
    setError(null)
    try {
      const reply = await postReply(itemId, { text: text.trim() })
      setText('')
      onSent(reply)
    } catch (err) {
      setError(errorText(err, t))
    } finally {
      setSending(false)
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    void send()
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      void send()
    }
  }

  return (
    <form className="reply-box" onSubmit={onSubmit}>
      {windowClosesAt !== null ? <ReplyWindowNotice id={`reply-window-${itemId}`} platform={platform} closesAt={windowClosesAt} now={now} /> : null}
      <label className="visually-hidden" htmlFor={`reply-${itemId}`}>
        {t('reply.label')}
      </label>
      <textarea
        id={`reply-${itemId}`}
        rows={3}
        maxLength={LIMITS.replyText}
        placeholder={t('reply.placeholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={windowClosed}
        aria-describedby={windowClosesAt !== null ? `reply-window-${itemId}` : undefined}
        data-testid="reply-text"
      />
      <ErrorAlert message={error} />
      <div className="reply-actions">
        <span className="muted small hint">{t('reply.hint')}</span>
        <button type="submit" className="button primary" disabled={!canSend} data-testid="reply-submit">
          {sending ? t('reply.sending') : t('reply.submit')}
        </button>
      </div>
    </form>
  )
}

/** "Balasan bebas masih bisa dikirim 3 jam 12 menit lagi (…)" or, once passed, why the box is disabled. */
function ReplyWindowNotice({ id, platform, closesAt, now }: { id: string; platform: Platform; closesAt: number; now: number }) {
  const { t, lang } = useI18n()
  const known = WINDOW_PLATFORMS.includes(platform)
  const platformName = t(`platform.${platform}`)
  if (now >= closesAt) {
    const key: MessageKey = known ? (`window.closed.${platform}` as MessageKey) : 'window.closed.other'
    return (
      <div id={id} className="reply-window reply-window-closed" role="status" data-testid="reply-window" data-state="closed">
        <p>{t(key, { platform: platformName })}</p>
        <p className="small">{t('window.closedAt', { time: formatDateTime(closesAt, lang) })}</p>
      </div>
    )
  }
  const left = closesAt - now
  const rule = known ? t(`window.rule.${platform}` as MessageKey) : t('window.rule.other', { platform: platformName })
  return (
    <p
      id={id}
      className={`reply-window ${left < WINDOW_WARN_MS ? 'reply-window-warn' : 'reply-window-open'}`}
      data-testid="reply-window"
      data-state="open"
      title={formatDateTime(closesAt, lang)}
    >
      {t('window.open', { d: formatDurationLong(left, lang), rule })}
    </p>
  )
}
