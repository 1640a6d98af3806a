import { AuditLog } from '../../../features/audit/components/audit-log.tsx';
import { Page } from '../../../components/ui/page.tsx';

export function AuditRoute() {
  return (
    <Page title="Audit log" intro="Who did what, and when, newest first.">
      <AuditLog />
    </Page>
  );
}
