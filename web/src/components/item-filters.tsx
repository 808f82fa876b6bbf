import { ITEM_SORTS, ITEM_STATUSES, type ItemStatus } from '@tanggap/shared'
import type { ItemFilters } from '../api.ts'
import { useI18n } from '../i18n.ts'
import { FilterSelect, PlatformFilter } from './filter-select.tsx'

/** Status and platform filters and the order (most urgent first by default) above the list. */
export function ItemFiltersBar({ value, onChange }: { value: ItemFilters; onChange(next: ItemFilters): void }) {
  const { t } = useI18n()
  return (
    <div className="filters">
      <FilterSelect
        label={t('inbox.filter.status')}
        testId="filter-status"
        value={value.status ?? ''}
        empty={t('common.all')}
        choices={ITEM_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        onChange={(v) => onChange({ ...value, status: (v || undefined) as ItemStatus | undefined })}
      />
      <PlatformFilter
        label={t('inbox.filter.platform')}
        testId="filter-platform"
        value={value.platform}
        onChange={(platform) => onChange({ ...value, platform })}
      />
      <FilterSelect
        label={t('inbox.filter.sort')}
        testId="filter-sort"
        value={value.sort ?? 'urgency'}
        choices={ITEM_SORTS.map((o) => ({ value: o, label: t(`inbox.sort.${o}`) }))}
        onChange={(v) => onChange({ ...value, sort: v === 'newest' ? 'newest' : undefined })}
      />
    </div>
  )
}
