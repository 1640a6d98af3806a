import type { TGranularity } from '@reg/contracts/usage-api';
import { useId } from 'react';
import { GRANULARITY_OPTIONS, rangeQuery, USAGE_RANGES, type UsageView } from './usage-range.ts';

const CUSTOM = '';

/** The selects "Range" and "Granularity"; the caller keeps the view in the URL. */
export function UsageViewControls({ view, onChange }: { view: UsageView; onChange: (next: UsageView) => void }) {
  const rangeId = useId();
  const granularityId = useId();
  return (
    <div className="usage-controls">
      <div className="field field-inline">
        <label htmlFor={rangeId}>Range</label>
        <select
          id={rangeId}
          value={view.days === null ? CUSTOM : String(view.days)}
          onChange={(event) => {
            const days = USAGE_RANGES.find((r) => String(r.days) === event.target.value)?.days;
            if (days) onChange({ ...view, ...rangeQuery(days), days });
          }}
        >
          {view.days === null ? (
            <option value={CUSTOM}>
              {view.from} to {view.to}
            </option>
          ) : null}
          {USAGE_RANGES.map((option) => (
            <option key={option.days} value={option.days}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor={granularityId}>Granularity</label>
        <select
          id={granularityId}
          value={view.granularity}
          onChange={(event) => onChange({ ...view, granularity: event.target.value as TGranularity })}
        >
          {GRANULARITY_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
