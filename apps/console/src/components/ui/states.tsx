import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="notice notice-error" role="alert">
      <div>
        <strong>{title}</strong> <span>{message}</span>
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Why an action failed, beside the form or dialog that tried it; nothing when `message` is empty. */
export function ErrorNotice({ message }: { message: ReactNode }) {
  if (!message) return null;
  return (
    <p className="notice notice-error" role="alert">
      {message}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

interface ListQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A list's states in one place: loading, an error with nothing to show (with Try again), empty,
 * and otherwise `children`. An error while rows are shown is the list's to tell (they stay).
 */
export function ListStates({
  query,
  count,
  loadingLabel,
  errorTitle,
  empty,
  children,
}: {
  query: ListQuery;
  count: number;
  loadingLabel: string;
  errorTitle: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError && count === 0)
    return <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  return count === 0 ? empty : children;
}
