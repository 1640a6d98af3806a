import { AuditLog } from '../../../features/audit/components/audit-log.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

export function AuditRoute() {
  usePageTitle('Audit log');
  return (
    <section className="page">
      <div className="page-header">
        <h1>Audit log</h1>
      </div>
      <p className="muted">Who did what, and when, newest first.</p>
      <AuditLog />
    </section>
  );
}
