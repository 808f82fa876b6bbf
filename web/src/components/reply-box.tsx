import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { LIMITS, type ReplyView } from '@tanggap/shared'
import { postReply } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'

/** The answer box: "Kirim balasan" or Ctrl+Enter; the text stays when sending fails. */
export function ReplyBox({ itemId, onSent }: { itemId: number; onSent(reply: ReplyView): void }) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const canSend = !sending && text.trim().length > 0

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
        data-testid="reply-text"
      />
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="reply-actions">
        <span className="muted small hint">{t('reply.hint')}</span>
        <button type="submit" className="button primary" disabled={!canSend} data-testid="reply-submit">
          {sending ? t('reply.sending') : t('reply.submit')}
        </button>
      </div>
    </form>
  )
}
