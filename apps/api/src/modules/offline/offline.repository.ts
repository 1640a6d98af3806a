import type { Tx } from '../../lib/tx.ts';

/** The only queries of the air-gapped module; registrations and usage go through their own services. */

interface NewOfflineRequest {
  id: string;
  customerId: string;
  registrationId: string;
  requestHash: string;
  requestCreatedAt: Date;
  usageKey: string;
  registeredAt: Date;
}

export const findOfflineRequest = (db: Tx, id: string) =>
  db.offlineRequest.findUnique({ where: { id }, select: { id: true } });

export const insertOfflineRequest = (tx: Tx, row: NewOfflineRequest) =>
  tx.offlineRequest.create({ data: row, select: { id: true } });

/** The registration a usage file names, with the key its MAC must verify under (null when registered by code). */
export const findUsageFileTarget = (db: Tx, registrationId: string) =>
  db.registration.findUnique({
    where: { id: registrationId },
    include: { offlineRequest: { select: { usageKey: true } } },
  });
