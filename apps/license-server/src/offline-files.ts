import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { OFFLINE_FORMATS, type TOfflineUsageFile } from '@reg/contracts/offline-api';
import { z } from 'zod';
import type { OfflineKeys } from './offline-crypto.ts';
import { usageMac } from './offline-crypto.ts';
import type { SpooledReport } from './spool.ts';
import { writeFileAtomic, type Registered } from './state.ts';

/**
 * Files of the air-gapped exchange on this side: the pending request's private keys, kept in
 * the state directory only (0600, like the credential), and the usage files written for an
 * admin to carry to the console.
 */
const KEYS_FILE = 'offline-request.json';
const ZOfflineKeys = z.object({
  requestId: z.string(),
  instanceId: z.string(),
  encryptionPrivateKey: z.string(),
  signingPrivateKey: z.string(),
});

export function saveOfflineKeys(stateDir: string, keys: OfflineKeys): void {
  writeFileAtomic(join(stateDir, KEYS_FILE), `${JSON.stringify(keys, null, 2)}\n`);
}

export function loadOfflineKeys(stateDir: string): OfflineKeys | null {
  try {
    return ZOfflineKeys.parse(JSON.parse(readFileSync(join(stateDir, KEYS_FILE), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Once imported the keys have done their work: a response can be imported once. */
export const forgetOfflineKeys = (stateDir: string) => rmSync(join(stateDir, KEYS_FILE), { force: true });

/** Written whole (temp + rename), so a half-written file never looks like a finished one on the stick. */
export function writeWhole(file: string, content: string | Buffer): void {
  const temp = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/** One report as a usage file: gzip of the envelope, the report's exact JSON inside with its HMAC. */
export function writeUsageFile(dir: string, state: Registered, report: SpooledReport): string {
  const envelope: TOfflineUsageFile = {
    format: OFFLINE_FORMATS.usage,
    registrationId: state.registrationId,
    instanceId: state.instanceId,
    reportId: report.reportId,
    report: report.json,
    mac: usageMac(state.credential, state.registrationId, report.json),
  };
  const file = join(dir, `usage-${safeName(state.serverName ?? 'license-server')}-${report.reportId}.json.gz`);
  writeWhole(file, gzipSync(JSON.stringify(envelope)));
  return file;
}
