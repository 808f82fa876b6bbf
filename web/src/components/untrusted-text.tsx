// Every piece of text a citizen or a platform supplied (names, messages, previews, account ids,
// platform errors, a code typed into a URL) is rendered through UntrustedText: as text, never HTML.
import { showBidiControls } from '../bidi.ts'
import { useI18n } from '../i18n.ts'

/**
 * Isolated in its own <bdi> (direction from its own letters, unicode-bidi: isolate), so neither a
 * right-to-left name nor an unterminated control can move the words around it; its bidi controls
 * are shown as ⟦U+XXXX⟧ markers, so it cannot reorder itself either.
 */
export function UntrustedText({ text }: { text: string }) {
  const { t } = useI18n()
  const shown = showBidiControls(text)
  const marked = shown !== text
  return (
    <bdi className={marked ? 'untrusted has-bidi-controls' : 'untrusted'} title={marked ? t('untrusted.bidiControls') : undefined}>
      {shown}
    </bdi>
  )
}

/** A translated sentence (a template from t() without values) whose {placeholders} are untrusted: each is an UntrustedText. */
export function UntrustedSentence({ template, values }: { template: string; values: Record<string, string> }) {
  // split() with a capture group: the placeholder names sit at the odd indexes.
  const parts = template.split(/\{(\w+)\}/)
  // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed template: a position is its identity
  return <>{parts.map((part, i) => (i % 2 === 0 ? part : <UntrustedText key={i} text={values[part] ?? `{${part}}`} />))}</>
}
