import type { Db } from '@reg/db/client';
import type { AuditService } from '../modules/audit/audit.service.ts';
import type { Outbox } from '../modules/notifications/outbox.ts';
import type { Clock } from './clock.ts';

/**
 * What a service that changes data takes from services.ts: the database, the clock, and the two
 * that record each change in its own transaction, the audit log and the outbox.
 */
export interface ChangeDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
}
