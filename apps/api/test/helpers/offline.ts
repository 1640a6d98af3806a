import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TOfflineRequestFile, TOfflineResponseFile } from '@reg/contracts/offline-api';
import { expect } from 'vitest';
import {
  decryptCredential,
  newOfflineKeys,
  signedRequestFile,
  usageMac,
} from '../../../license-server/src/offline-crypto.ts';
import type { TestClient } from './client.ts';
import { codeRequest, type SignedIn } from './factories.ts';

/** A License Server's request file, made with the CLI's own code, and the keys it keeps. */
export function offlineRequestFile(
  now: Date,
  instanceId: string = randomUUID(),
  overrides: Partial<TOfflineRequestFile> = {},
) {
  const { instanceId: _i, ...fields } = codeRequest();
  const keys = newOfflineKeys(randomUUID(), instanceId);
  const file = signedRequestFile(keys, { ...fields, createdAt: now.toISOString(), ...overrides });
  return { keys, file };
}

/** An admin registers a request file (201): the response file, and the credential the CLI decrypts from it. */
export async function registerByFile(client: TestClient, as: SignedIn, made: ReturnType<typeof offlineRequestFile>) {
  const response = await client.post<TOfflineResponseFile>('/api/console/registrations/offline', made.file, { as });
  expect(response.status, response.body).toBe(201);
  const body = response.json;
  return { ...made, response, body, credential: decryptCredential(made.keys, body) };
}

/** A usage file as `upload --offline` writes it, for a report given as JSON text. */
export function offlineUsageFile(
  reg: { body: TOfflineResponseFile; credential: string },
  reportId: string,
  json: string,
) {
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

/** Usage files uploaded in the console, as a multipart form. */
export function uploadUsageFiles(client: TestClient, files: Buffer[], as: SignedIn) {
  const form = new FormData();
  files.forEach((bytes, i) => form.append('files', new Blob([new Uint8Array(bytes)]), `usage-${i}.json.gz`));
  return client.post('/api/console/usage-files', form, { as });
}
