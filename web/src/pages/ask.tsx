import { useEffect, useRef, useState, type FormEvent } from 'react'
import { LIMITS, TOPICS, type PublicOptions, type PublicQuestionAccepted } from '@tanggap/shared'
import { ApiError, getPublicOptions, newIdempotencyKey, submitQuestion } from '../api.ts'
import { ErrorAlert } from '../components/error-alert.tsx'
import { bindValue, Field } from '../components/field.tsx'
import { Options } from '../components/options.tsx'
import { PublicLayout } from '../components/public-layout.tsx'
import { errorText } from '../errors.ts'
import { useI18n, type MessageKey } from '../i18n.ts'
import { Link, useTitle } from '../router.tsx'

type QuestionField = 'name' | 'contact' | 'topic' | 'text'
type FieldErrors = Partial<Record<QuestionField, MessageKey>>
const FIELDS: readonly QuestionField[] = ['name', 'contact', 'topic', 'text']
const MIN_TEXT = 5

/** Server field names may come as "text", "/text" or "body.text". */
function fieldOf(name: string): QuestionField | null {
  const last = name.split(/[/.]/).filter(Boolean).pop() ?? ''
  return (FIELDS as readonly string[]).includes(last) ? (last as QuestionField) : null
}

/** /tanya — the public question form. */
export function AskPage() {
  const { t } = useI18n()
  useTitle(`${t('ask.title')} · ${t('app.name')}`)
  const [accepted, setAccepted] = useState<PublicQuestionAccepted | null>(null)
  const [formKey, setFormKey] = useState(0)
  const askAnother = () => {
    setAccepted(null)
    setFormKey((k) => k + 1)
  }
  return (
    <PublicLayout>{accepted ? <Accepted accepted={accepted} onAnother={askAnother} /> : <QuestionForm key={formKey} onAccepted={setAccepted} />}</PublicLayout>
  )
}

function QuestionForm({ onAccepted }: { onAccepted(a: PublicQuestionAccepted): void }) {
  const { t, lang } = useI18n()
  const [options, setOptions] = useState<PublicOptions['topics']>(() => TOPICS.map(({ code, label }) => ({ code, label })))
  const [name, setName] = useState('')
  const [contact, setContact] = useState('')
  const [topic, setTopic] = useState('')
  const [text, setText] = useState('')
  const [website, setWebsite] = useState('')
  const [sending, setSending] = useState(false)
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  // One key per question as sent: a retry after a lost response cannot create a second question,
  // and an edited question is a new one (the server refuses a key reused for other content).
  const sent = useRef<{ body: string; key: string } | null>(null)

  useEffect(() => {
    let alive = true
    getPublicOptions().then(
      (o) => alive && o.topics.length > 0 && setOptions(o.topics),
      () => {}, // keep the built-in topic list
    )
    return () => {
      alive = false
    }
  }, [])

  function validate(): FieldErrors {
    const errs: FieldErrors = {}
    if (!name.trim()) errs.name = 'ask.nameRequired'
    if (text.trim().length < MIN_TEXT) errs.text = 'ask.textTooShort'
    else if (text.length > LIMITS.questionText) errs.text = 'ask.textTooLong'
    return errs
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (sending) return
    const errs = validate()
    setFieldErrors(errs)
    if (Object.keys(errs).length > 0) {
      setError(t('ask.fixFields'))
      return
    }
    setSending(true)
    setError(null)
    try {
      const body = {
        name: name.trim(),
        text: text.trim(),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
        ...(topic ? { topic } : {}),
        ...(website ? { website } : {}),
      }
      const signature = JSON.stringify(body)
      if (sent.current?.body !== signature) sent.current = { body: signature, key: newIdempotencyKey() }
      const accepted = await submitQuestion(body, sent.current.key)
      onAccepted(accepted)
    } catch (err) {
      setSending(false)
      if (err instanceof ApiError && err.status === 400) {
        const next: FieldErrors = {}
        for (const f of err.fields) {
          const field = fieldOf(f)
          if (field) next[field] = 'ask.fieldInvalid'
        }
        setFieldErrors(next)
        setError(t('ask.fixFields'))
      } else if (err instanceof ApiError && err.status === 429) setError(t('ask.rateLimited'))
      else setError(errorText(err, t))
    }
  }

  const fieldError = (f: QuestionField) =>
    fieldErrors[f] ? (
      <span className="field-error" id={`ask-${f}-error`} data-testid={`question-${f}-error`}>
        {t(fieldErrors[f], { max: LIMITS.questionText })}
      </span>
    ) : null
  const described = (f: QuestionField, hint?: string) => [hint, fieldErrors[f] ? `ask-${f}-error` : undefined].filter(Boolean).join(' ') || undefined
  /** What every control of the form carries: its name and value, its error state and its test id. */
  const control = (f: QuestionField, value: string, set: (next: string) => void, hint?: string) => ({
    name: f,
    ...bindValue(value, set),
    'aria-invalid': fieldErrors[f] ? true : undefined,
    'aria-describedby': described(f, hint),
    'data-testid': `question-${f}`,
  })

  return (
    <form className="card form ask-form" onSubmit={submit} noValidate>
      <h1>{t('ask.title')}</h1>
      <p className="muted">{t('ask.intro')}</p>
      <Field label={t('ask.name')} invalid={!!fieldErrors.name}>
        <input autoComplete="name" maxLength={LIMITS.name} {...control('name', name, setName)} />
        {fieldError('name')}
      </Field>
      <Field label={t('ask.contact')} invalid={!!fieldErrors.contact}>
        <input autoComplete="tel" maxLength={LIMITS.contact} {...control('contact', contact, setContact, 'ask-contact-hint')} />
        <span className="muted small" id="ask-contact-hint">
          {t('ask.contactHint')}
        </span>
        {fieldError('contact')}
      </Field>
      <Field label={t('ask.topic')} invalid={!!fieldErrors.topic}>
        <select {...control('topic', topic, setTopic)}>
          <Options empty={t('ask.topicNone')} choices={options.map((o) => ({ value: o.code, label: o.label[lang] }))} />
        </select>
        {fieldError('topic')}
      </Field>
      <Field label={t('ask.text')} invalid={!!fieldErrors.text}>
        <textarea rows={7} maxLength={LIMITS.questionText} {...control('text', text, setText, 'ask-text-hint ask-text-counter')} />
        <span className="field-foot">
          <span className="muted small" id="ask-text-hint">
            {t('ask.textHint')}
          </span>
          <span className={`counter${text.length >= LIMITS.questionText ? ' full' : ''}`} id="ask-text-counter" aria-live="polite">
            {t('ask.counter', { n: text.length, max: LIMITS.questionText })}
          </span>
        </span>
        {fieldError('text')}
      </Field>
      {/* Honeypot: people never see it; bots fill it in. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor="ask-website">{t('ask.honeypot')}</label>
        <input id="ask-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} />
      </div>
      <ErrorAlert message={error} testId="question-error" />
      <button type="submit" className="button primary" disabled={sending} data-testid="question-submit">
        {sending ? t('ask.sending') : t('ask.submit')}
      </button>
      <p className="small">
        <Link to="/lacak">{t('ask.trackExisting')}</Link>
      </p>
    </form>
  )
}

function Accepted({ accepted, onAnother }: { accepted: PublicQuestionAccepted; onAnother(): void }) {
  const { t } = useI18n()
  const href = `/lacak/${encodeURIComponent(accepted.trackingCode)}`
  return (
    <section className="card accepted" role="status">
      <h1>{t('ask.sentTitle')}</h1>
      <p className="muted">{t('ask.codeLabel')}</p>
      <p className="tracking-code" data-testid="tracking-code">
        {accepted.trackingCode}
      </p>
      <p>{t('ask.codeHint')}</p>
      <p>
        <Link to={href} className="button primary" data-testid="tracking-link">
          {t('ask.trackLink')}
        </Link>
      </p>
      <p>
        <button type="button" className="button" onClick={onAnother}>
          {t('ask.another')}
        </button>
      </p>
    </section>
  )
}
