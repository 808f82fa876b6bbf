import type { Platform } from '@tanggap/shared'
import { useI18n } from '../i18n.ts'
import { Options, platformChoices, type Choice } from './options.tsx'

interface FilterSelectProps {
  label: string
  testId: string
  value: string | number
  onChange(value: string): void
  choices: readonly Choice[]
  /** The first choice, with the empty value; none when absent. */
  empty?: string
  disabled?: boolean
}

/** A labelled select of the filter bars above the inbox and the board. */
export function FilterSelect({ label, testId, value, onChange, choices, empty, disabled }: FilterSelectProps) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select value={value} data-testid={testId} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <Options empty={empty} choices={choices} />
      </select>
    </label>
  )
}

/** All platforms or one. */
export function PlatformFilter({
  label,
  testId,
  value,
  onChange,
}: {
  label: string
  testId: string
  value: Platform | undefined
  onChange(platform: Platform | undefined): void
}) {
  const { t } = useI18n()
  return (
    <FilterSelect
      label={label}
      testId={testId}
      value={value ?? ''}
      empty={t('common.all')}
      choices={platformChoices(t)}
      onChange={(v) => onChange((v || undefined) as Platform | undefined)}
    />
  )
}
