import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TOfflineResponseFile, TUsageFilesResult } from '@reg/contracts/offline-api';
import { describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli } from './cli.ts';
import { EXIT } from '../src/exit-codes.ts';
import { consoleAction, readState, signedInAdmin, useCloud } from './real-api.ts';

const cloud = useCloud();

/** Everything under a directory, recursively, as [path, content]. */
function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [path, readFileSync(path, 'latin1')];
    });
}

/** The admin's side: only the request file goes in, only the response file comes out. */
async function registerFile(session: Awaited<ReturnType<typeof signedInAdmin>>['session'], requestPath: string) {
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as unknown;
  const response = await consoleAction(cloud, session, 'POST', '/registrations/offline', request);
  if (response.statusCode !== 201) throw new Error(`register from file: ${response.statusCode} ${response.body}`);
  return response.json() as TOfflineResponseFile;
}

async function uploadUsageFiles(session: { headers: Record<string, string> }, dir: string) {
  const form = new FormData();
  for (const name of readdirSync(dir)) form.append('files', new Blob([readFileSync(join(dir, name))]), name);
  const response = await cloud.app.inject({
    method: 'POST',
    url: '/api/console/usage-files',
    headers: session.headers,
    payload: form,
  });
  return response.json() as TUsageFilesResult;
}

describe('air-gapped: register and report by file, against the real API', { timeout: SLOW }, () => {
  it('registers from a request file, keeps the private key in the state directory, and reports by file', async () => {
    const stateDir = newStateDir();
    const carried = mkdtempSync(join(tmpdir(), 'ls-usb-'));
    const requestPath = join(carried, 'request.json');
    const { session, admin } = await signedInAdmin(cloud);

    const made = await runCli([
      'register',
      '--offline',
      '--out',
      requestPath,
      '--state-dir',
      stateDir,
      '--server-name',
      'AIRGAP01',
    ]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    // The private keys exist only in the state directory, 0600; nothing else carries them.
    const keyFile = join(stateDir, 'offline-request.json');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');
    expect(filesUnder(carried).filter(([, content]) => content.includes('PRIVATE KEY'))).toEqual([]);
    const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, string>;
    const secrets = [keys.encryptionPrivateKey!, keys.signingPrivateKey!].map((pem) => pem.split('\n')[1]!);
    expect(filesUnder(carried).filter(([, content]) => secrets.some((secret) => content.includes(secret)))).toEqual([]);

    const response = await registerFile(session, requestPath);
    const responsePath = join(carried, `registration-AIRGAP01.json`);
    writeFileSync(responsePath, JSON.stringify(response));
    const imported = await runCli(['register', '--import', responsePath, '--state-dir', stateDir]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Registered to ${admin.customer.name}.`);
    expect(readState(stateDir)).toMatchObject({ registrationId: response.registrationId, registeredOffline: true });

    // Once a route exists, it behaves as a server registered online.
    const status = await runCli(['status', '--cloud', cloud.url, '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(response.registrationId);

    const usageDir = join(carried, 'usage');
    const written = await runCli([
      'upload',
      '--offline',
      '--out',
      usageDir,
      '--sample-days',
      '3',
      '--state-dir',
      stateDir,
    ]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(readdirSync(usageDir)).toHaveLength(1);
    expect(readdirSync(join(stateDir, 'spool')).filter((n) => n.endsWith('.json'))).toEqual([]);

    const first = await uploadUsageFiles(session, usageDir);
    expect(first).toMatchObject({ accepted: 1, duplicate: 0, refused: 0 });
    const again = await uploadUsageFiles(session, usageDir);
    expect(again).toMatchObject({ accepted: 0, duplicate: 1, refused: 0 });
    expect(await cloud.db.usageRecord.count({ where: { customerId: admin.customerId } })).toBe(
      first.results[0]!.accepted,
    );

    // A response is imported once: its keys are gone.
    const twice = await runCli(['register', '--import', responsePath, '--state-dir', stateDir]);
    expect(twice.code).toBe(EXIT.offlineFileRefused);
  });

  it('refuses a response file for another instance, and one changed on the way', async () => {
    const { session } = await signedInAdmin(cloud);
    const [one, two] = [newStateDir(), newStateDir()];
    const dir = mkdtempSync(join(tmpdir(), 'ls-usb-'));
    for (const [stateDir, name] of [
      [one, 'a'],
      [two, 'b'],
    ] as const) {
      const made = await runCli(['register', '--offline', '--out', join(dir, `${name}.json`), '--state-dir', stateDir]);
      expect(made.code).toBe(0);
    }
    const forOne = await registerFile(session, join(dir, 'a.json'));
    writeFileSync(join(dir, 'for-one.json'), JSON.stringify(forOne));
    const wrong = await runCli(['register', '--import', join(dir, 'for-one.json'), '--state-dir', two]);
    expect(wrong.code).toBe(EXIT.offlineFileRefused);
    expect(wrong.stderr).toMatch(/^error: this response file is for another License Server .+\nhint: Import it on /);

    const changed = { ...forOne, registrationId: readState(two).instanceId };
    writeFileSync(join(dir, 'changed.json'), JSON.stringify(changed));
    const tampered = await runCli(['register', '--import', join(dir, 'changed.json'), '--state-dir', one]);
    expect(tampered.code).toBe(EXIT.offlineFileRefused);
    expect(tampered.stderr).toMatch(/^error: the response file was changed on the way.+\nhint: /);
    expect(readState(one).credential).toBeUndefined();
  });

  it('says what --offline needs', async () => {
    const result = await runCli(['register', '--offline', '--state-dir', newStateDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out');
  });
});
