import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TEntitlements } from '@reg/contracts/entitlements-api';
import type { TOfflineResponseFile, TUsageFilesResult } from '@reg/contracts/offline-api';
import type { TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptCredential,
  newOfflineKeys,
  signedRequestFile,
  usageMac,
} from '../../license-server/src/offline-crypto.ts';
import { useTestApp } from './helpers/app.ts';
import { dayFrom, keyRecord, reportOf } from './helpers/entitlements.ts';
import { codeRequest, createSignedInAdmin, type SignedIn } from './helpers/factories.ts';

/** Dates per product key reach the cloud by offline usage files as they do by uploads. */
const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

async function registerOffline() {
  const { instanceId: _i, ...fields } = codeRequest();
  const keys = newOfflineKeys(randomUUID(), randomUUID());
  const file = signedRequestFile(keys, { ...fields, createdAt: t.clock.now().toISOString() });
  const response = await t.client.post<TOfflineResponseFile>('/api/console/registrations/offline', file, {
    as: session,
  });
  expect(response.status, response.body).toBe(201);
  return { body: response.json, credential: decryptCredential(keys, response.json) };
}

/** A usage file as `upload --offline` writes it, for a report given as JSON text. */
function usageFile(reg: Awaited<ReturnType<typeof registerOffline>>, reportId: string, json: string) {
  const envelope = {
    format: 'usage-offline-report/1',
    registrationId: reg.body.registrationId,
    instanceId: reg.body.instanceId,
    reportId,
    report: json,
    mac: usageMac(reg.credential, reg.body.registrationId, json),
  };
  return gzipSync(JSON.stringify(envelope));
}

async function uploadFiles(files: Buffer[]) {
  const form = new FormData();
  files.forEach((bytes, i) => form.append('files', new Blob([new Uint8Array(bytes)]), `usage-${i}.json.gz`));
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/console/usage-files',
    headers: session.headers,
    payload: form,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as TUsageFilesResult;
}

describe('offline usage files with dates', () => {
  it('stores expiresAt and maintenanceEndsAt, and refuses a day that is not one', async () => {
    const reg = await registerOffline();
    const now = t.clock.now();
    const dated: TUsageReport = reportOf(
      [keyRecord(now, 1, { productCode: 'OFF', expiresAt: dayFrom(now, 50), maintenanceEndsAt: dayFrom(now, 9) })],
      now,
    );
    const bad = reportOf([keyRecord(now, 1, { productCode: 'OFF' })], now);
    const badJson = JSON.stringify(bad).replace('"peakInUse":60', '"peakInUse":60,"expiresAt":"2027-02-30"');
    const result = await uploadFiles([
      usageFile(reg, dated.reportId, JSON.stringify(dated)),
      usageFile(reg, bad.reportId, badJson),
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
