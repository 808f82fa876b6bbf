import { useI18n } from '../i18n.ts'

/** One button that switches between Bahasa Indonesia and English. */
export function LangToggle() {
  const { lang, t, setLang } = useI18n()
  const next = lang === 'id' ? 'en' : 'id'
  return (
    <button type="button" className="lang-toggle" lang={next} aria-label={t('lang.switchLabel')} onClick={() => setLang(next)}>
      {t('lang.switch')}
    </button>
  )
}
