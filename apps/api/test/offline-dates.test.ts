import type { TEntitlements } from '@reg/contracts/entitlements-api';
import type { TUsageFilesResult } from '@reg/contracts/offline-api';
import type { TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { dayFrom, keyRecord } from './helpers/entitlements.ts';
import { reportWith } from './helpers/usage.ts';
import { createSignedInAdmin, type SignedIn } from './helpers/factories.ts';
import { offlineRequestFile, offlineUsageFile, registerByFile, uploadUsageFiles } from './helpers/offline.ts';

/** Dates per product key reach the cloud by offline usage files as they do by uploads. */
const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const registerOffline = () => registerByFile(t.client, session, offlineRequestFile(t.clock.now()));
async function uploadFiles(files: Buffer[]) {
  const response = await uploadUsageFiles(t.client, files, session);
  expect(response.status, response.body).toBe(200);
  return response.json as TUsageFilesResult;
}

describe('offline usage files with dates', () => {
  it('stores expiresAt and maintenanceEndsAt, and refuses a day that is not one', async () => {
    const reg = await registerOffline();
    const now = t.clock.now();
    const dated: TUsageReport = reportWith(
      [keyRecord(now, 1, { productCode: 'OFF', expiresAt: dayFrom(now, 50), maintenanceEndsAt: dayFrom(now, 9) })],
      now,
    );
    const bad = reportWith([keyRecord(now, 1, { productCode: 'OFF' })], now);
    const badJson = JSON.stringify(bad).replace('"peakInUse":60', '"peakInUse":60,"expiresAt":"2027-02-30"');
    const result = await uploadFiles([
      offlineUsageFile(reg, dated.reportId, JSON.stringify(dated)),
      offlineUsageFile(reg, bad.reportId, badJson),
    ]);
    expect(result.results.map((r) => r.outcome)).toEqual(['accepted', 'refused']);
    expect(result.results[1]).toMatchObject({ error: 'invalid_file' });
    const items = (await t.client.get<TEntitlements>('/api/console/entitlements', { as: session })).json.items;
    expect(items.find((i) => i.productCode === 'OFF')).toMatchObject({
      expiresAt: dayFrom(now, 50),
      daysLeft: 50,
      maintenanceEndsAt: dayFrom(now, 9),
      maintenanceState: 'ending',
      state: 'ok',
    });
  });
});
