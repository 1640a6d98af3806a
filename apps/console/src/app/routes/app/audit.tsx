import { useEffect } from 'react';
import { AuditLog } from '../../../features/audit/components/audit-log.tsx';

export function AuditRoute() {
  useEffect(() => {
    document.title = 'Audit log · Console';
  }, []);
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
