import type { ReactNode } from 'react';

interface ServerDetailsProps {
  server: { product: string; productVersion: string; serverName: string; hostname: string; os: string | null };
  /** What this kind of request adds (when and where it was made), as more dt/dd pairs. */
  children: ReactNode;
}

/** What a registration request (a code or a request file) says about its server, for the admin's review. */
export function ServerDetails({ server, children }: ServerDetailsProps) {
  return (
    <dl className="details">
      <dt>Product</dt>
      <dd>{server.product}</dd>
      <dt>Version</dt>
      <dd>{server.productVersion}</dd>
      <dt>Server name</dt>
      <dd className="wrap">{server.serverName}</dd>
      <dt>Host name</dt>
      <dd className="wrap">{server.hostname}</dd>
      <dt>Operating system</dt>
      <dd className="wrap">{server.os ?? 'Not reported'}</dd>
      {children}
    </dl>
  );
}
