import type { Db } from '@reg/db/client';
import { systemClock } from '../../src/lib/clock.ts';
import { createAdminService } from '../../src/modules/admins/admins.service.ts';
import { createAuditService } from '../../src/modules/audit/audit.service.ts';
import { createOutbox } from '../../src/modules/notifications/outbox.ts';

/** The admins service over a database of a test's own (the seed and the operator CLI use it so). */
export const adminsOver = (db: Db) =>
  createAdminService({
    db,
    clock: systemClock,
    audit: createAuditService({ db, clock: systemClock, outbox: createOutbox() }),
  });
