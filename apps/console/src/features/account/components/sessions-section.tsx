import type { TOwnSession } from '@reg/contracts/identity-api';
import { BusyButton } from '../../../components/ui/busy-button.tsx';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { FormError } from '../../../components/ui/form.tsx';
import { useEndOtherSessions, useEndSession, useOwnSessions } from '../api/own-sessions.ts';

/** "Firefox on Windows" from a User-Agent header: enough to tell one's devices apart. */
function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser =
    [
      ['Edg/', 'Edge'],
      ['Firefox/', 'Firefox'],
      ['Chrome/', 'Chrome'],
      ['Safari/', 'Safari'],
    ].find(([mark]) => userAgent.includes(mark!))?.[1] ?? 'Browser';
  const system =
    [
      ['Windows', 'Windows'],
      ['Android', 'Android'],
      ['iPhone', 'iOS'],
      ['Mac OS X', 'macOS'],
      ['Linux', 'Linux'],
    ].find(([mark]) => userAgent.includes(mark!))?.[1] ?? 'another system';
  return `${browser} on ${system}`;
}

export function SessionsSection() {
  const sessions = useOwnSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  const rows = sessions.data?.items ?? [];
  const others = rows.filter((s) => !s.current);
  const columns: Column<TOwnSession>[] = [
    {
      id: 'browser',
      header: 'Browser',
      rowHeader: true,
      // Never a word a line on a phone: the table scrolls in its box instead.
      className: 'cell-name',
      cell: (s) => (
        <>
          {describeUserAgent(s.userAgent)}
          {s.current && <span className="muted"> (This session)</span>}
        </>
      ),
    },
    { id: 'address', header: 'Address', cell: (s) => s.sourceAddress ?? '—' },
    timeColumn('signed-in', 'Signed in', (s) => s.createdAt),
    timeColumn('last-used', 'Last used', (s) => s.lastUsedAt),
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      cell: (s) =>
        s.current ? null : (
          <BusyButton
            className="button"
            busy={end.isPending && end.variables === s.id}
            busyLabel="Signing out…"
            aria-label={`Sign out session ${rows.indexOf(s) + 1}`}
            onClick={() => end.mutate(s.id)}
          >
            Sign out
          </BusyButton>
        ),
    },
  ];
  return (
    <section className="stack" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <FormError message={(end.isError || endOthers.isError) && 'Could not sign the session out. Try again.'} />
      <DataTable
        caption="Sessions"
        columns={columns}
        rows={rows}
        rowKey={(s) => s.id}
        query={sessions}
        loadingLabel="Loading sessions…"
        errorTitle="Your sessions could not be loaded."
        empty={<p className="muted">No sessions.</p>}
      />
      <div>
        <BusyButton
          className="button"
          disabled={others.length === 0}
          busy={endOthers.isPending}
          busyLabel="Signing out…"
          onClick={() => endOthers.mutate()}
        >
          Sign out all other sessions
        </BusyButton>
      </div>
    </section>
  );
}
