import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { createCustomerRollup } from './usage-customer-rollup.service.ts';
import { createUsageDeletion } from './usage-delete.service.ts';
import { createUsageIngestion } from './usage-ingestion.service.ts';
import { createUsageReads } from './usage-reads.service.ts';

/**
 * Usage of License Servers, the one module for it: uploads (ingestion and the daily rollups),
 * reads (a server's series, the overview, the latest values for License Servers), their CSV
 * exports and Delete data.
 */
export function createUsageService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  notReportingAfterHours: number;
}) {
  return {
    ...createUsageIngestion(deps),
    ...createUsageReads(deps),
    ...createUsageDeletion(deps),
    ...createCustomerRollup(deps),
  };
}

export type UsageService = ReturnType<typeof createUsageService>;
export type { UsageIngestion } from './usage-ingestion.service.ts';
