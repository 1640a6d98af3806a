import { AUDIT_ACTIONS, type TAuditAction } from '@reg/contracts/audit-api';
import { useId } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditFilters } from '../api/get-audit-events.ts';
import { actionName, isAuditAction } from './audit-words.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters live in the page's URL (`?action=&from=&to=`, the API's names), so a reload or a shared link keeps them. */
export function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const filters: AuditFilters = { action: isAuditAction(action) ? action : '', from: day('from'), to: day('to') };
  const setFilter = (name: keyof AuditFilters, value: string) =>
    setParams(
      (next) => {
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return { filters, setFilter };
}

export function AuditFiltersBar({
  filters,
  onChange,
}: {
  filters: AuditFilters;
  onChange: (name: keyof AuditFilters, value: string) => void;
}) {
  const id = useId();
  return (
    <>
      <div className="field field-inline">
        <label htmlFor={`${id}-action`}>Action</label>
        <select
          id={`${id}-action`}
          value={filters.action}
          onChange={(event) => onChange('action', event.target.value as TAuditAction | '')}
        >
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {actionName(action)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => onChange('from', event.target.value)}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => onChange('to', event.target.value)}
        />
      </div>
    </>
  );
}
