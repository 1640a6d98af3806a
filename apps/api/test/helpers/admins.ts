import type { Db } from '@reg/db/client';
import { systemClock } from '../../src/lib/clock.ts';
import { createStandaloneAdminService } from '../../src/admin-services.ts';

/** The admins service over a database of a test's own (the seed and the operator CLI use it so). */
export const adminsOver = (db: Db) => createStandaloneAdminService(db, systemClock);
