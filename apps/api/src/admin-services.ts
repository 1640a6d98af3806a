import type { Db } from '@reg/db/client';
import type { Clock } from './lib/clock.ts';
import { createAdminService } from './modules/admins/admins.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createOutbox } from './modules/notifications/outbox.ts';
import { createRegistrationKeyService } from './modules/registration-keys/registration-keys.service.ts';

/**
 * The admins service with what it needs, for the places that run without the whole app (the
 * first start's seed, the operator CLI, tests and the bench): a removal there revokes the
 * admin's registration keys exactly as the console's does.
 */
export function createStandaloneAdminService(db: Db, clock: Clock) {
  const audit = createAuditService({ db, clock, outbox: createOutbox() });
  return createAdminService({
    db,
    clock,
    audit,
    registrationKeys: createRegistrationKeyService({ db, clock, audit }),
  });
}
