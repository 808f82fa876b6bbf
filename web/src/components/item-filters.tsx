import { ITEM_SORTS, ITEM_STATUSES, PLATFORMS, type ItemSort, type ItemStatus, type Platform } from '@tanggap/shared'
import type { ItemFilters } from '../api.ts'
import { useI18n } from '../i18n.ts'

/** Status and platform filters and the order (most urgent first by default) above the list. */
export function ItemFiltersBar({ value, onChange }: { value: ItemFilters; onChange(next: ItemFilters): void }) {
  const { t } = useI18n()
  return (
    <div className="filters">
      <label className="filter">
        <span className="filter-label">{t('inbox.filter.status')}</span>
        <select
          value={value.status ?? ''}
          data-testid="filter-status"
          onChange={(e) => onChange({ ...value, status: (e.target.value || undefined) as ItemStatus | undefined })}
        >
          <option value="">{t('common.all')}</option>
          {ITEM_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">{t('inbox.filter.platform')}</span>
        <select
          value={value.platform ?? ''}
          data-testid="filter-platform"
          onChange={(e) => onChange({ ...value, platform: (e.target.value || undefined) as Platform | undefined })}
        >
          <option value="">{t('common.all')}</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {t(`platform.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">{t('inbox.filter.sort')}</span>
        <select
          value={value.sort ?? 'urgency'}
          data-testid="filter-sort"
          onChange={(e) => onChange({ ...value, sort: e.target.value === 'newest' ? 'newest' : undefined })}
        >
          {ITEM_SORTS.map((o: ItemSort) => (
            <option key={o} value={o}>
              {t(`inbox.sort.${o}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
