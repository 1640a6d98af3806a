import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli, runNew } from './cli.ts';
import { consoleAction, readState, signedInAdmin, useCloud } from './real-api.ts';

const cloud = useCloud();

async function keyFor(session: Parameters<typeof consoleAction>[1], approval: 'automatic' | 'manual') {
  const created = await consoleAction(cloud, session, 'POST', '/registration-keys', {
    description: 'CLI test',
    maxUses: 5,
    expiresInDays: 1,
    approval,
  });
  expect(created.statusCode).toBe(201);
  return created.json().secret as string;
}

/** Every file the CLI left in its state directory, read whole: the key must be in none. */
const everythingStored = (dir: string): string =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');

describe('register --key, against the real API', { timeout: SLOW }, () => {
  it('registers at once with an automatic key, keeping the key nowhere', async () => {
    const { session, admin } = await signedInAdmin(cloud);
    const key = await keyFor(session, 'automatic');
    const stateDir = newStateDir();
    const result = await runCli(['register', '--cloud', cloud.url, '--state-dir', stateDir, '--key', key]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Registered to ${admin.customer.name}.`);
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(everythingStored(stateDir)).not.toContain(key);
    expect(readState(stateDir).credential).toEqual(expect.any(String));
    expect((await runCli(['status', '--state-dir', stateDir])).code).toBe(0);
  });

  it('waits for approval with a manual key (exit 16), takes the key from the environment, then status collects it', async () => {
    const { session, admin } = await signedInAdmin(cloud);
    const key = await keyFor(session, 'manual');
    const stateDir = newStateDir();
    const env = { LICENSE_SERVER_REGISTRATION_KEY: key };
    const waiting = await runCli(['register', '--cloud', cloud.url, '--state-dir', stateDir], env);
    expect(waiting.code).toBe(16);
    const pending = readState(stateDir).pendingApproval as { registrationId: string };
    expect(waiting.stdout).toContain(pending.registrationId);
    expect(waiting.stdout).toContain('/iam/api-access/product-registrations?status=pending-approval');
    expect(everythingStored(stateDir)).not.toContain(key);
    // Registering again polls: no second use of the key.
    cloud.jumpAhead(5_000);
    expect((await runCli(['register', '--state-dir', stateDir], env)).code).toBe(16);
    const keys = await consoleAction(cloud, session, 'GET', '/registration-keys');
    expect(keys.json().items[0].uses).toBe(1);
    const approved = await consoleAction(cloud, session, 'POST', '/registrations/approve', {
      ids: [pending.registrationId],
    });
    expect(approved.json().approved).toEqual([pending.registrationId]);
    cloud.jumpAhead(5_000);
    const status = await runCli(['status', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Registered to ${admin.customer.name}.`);
    expect(readState(stateDir).pendingApproval).toBeUndefined();
  });

  it('says the key was refused (exit 18), and a denial is exit 8 with the pending state dropped', async () => {
    const refused = await runNew(cloud.url, 'register', ['--key', 'lsreg_nope']);
    expect(refused.code).toBe(18);
    expect(refused.stderr).toContain('error: the registration key was refused (unknown, expired, used up or revoked).');
    const { session } = await signedInAdmin(cloud);
    const stateDir = newStateDir();
    const key = await keyFor(session, 'manual');
    expect((await runCli(['register', '--cloud', cloud.url, '--state-dir', stateDir, '--key', key])).code).toBe(16);
    const pending = readState(stateDir).pendingApproval as { registrationId: string };
    await consoleAction(cloud, session, 'POST', '/registrations/deny', { ids: [pending.registrationId] });
    cloud.jumpAhead(5_000);
    const denied = await runCli(['status', '--state-dir', stateDir]);
    expect(denied.code).toBe(8);
    expect(readState(stateDir).pendingApproval).toBeUndefined();
  });
});
