/**
 * A copied installation (a cloned image or container: the same state directory on another
 * machine) against the real API: every command that reaches the cloud with the original's
 * credential ends with exit 17 and the fix, the state left as it is and its reports kept; then
 * `register --reset` on the copy registers it as a server of its own, the original untouched.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli } from './cli.ts';
import { consoleAction, readState, registerThroughConsole, signedInAdmin, useCloud } from './real-api.ts';

const cloud = useCloud();

/** Two machines: the CLI's fingerprint comes from the machine id, which containers set this way. */
const machine = () => ({ LICENSE_SERVER_MACHINE_ID: `machine-${randomUUID()}` });
const jsonFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
};

async function registeredOriginal() {
  const { session, admin } = await signedInAdmin(cloud);
  const created = await consoleAction(cloud, session, 'POST', '/registration-keys', {
    description: 'Golden image',
    maxUses: 10,
    expiresInDays: 1,
    approval: 'automatic',
  });
  expect(created.statusCode).toBe(201);
  const key = created.json().secret as string;
  const original = newStateDir();
  const machineA = machine();
  const registered = await runCli(['register', '--cloud', cloud.url, '--state-dir', original, '--key', key], machineA);
  expect(registered.code, registered.stderr).toBe(0);
  expect((await runCli(['status', '--state-dir', original], machineA)).code).toBe(0);
  const copy = newStateDir();
  cpSync(original, copy, { recursive: true });
  return { session, admin, key, original, machineA, copy, machineB: machine() };
}

const listed = async (session: Parameters<typeof consoleAction>[1]) =>
  (await consoleAction(cloud, session, 'GET', '/registrations?limit=200')).json().items as {
    id: string;
    instanceId: string;
    duplicate: boolean;
  }[];

describe('a copy of a registered installation, against the real API', { timeout: 2 * SLOW }, () => {
  it('gets exit 17 and the fix on status, upload, deregister and register --key; register --reset --key then registers it apart', async () => {
    const { session, key, original, machineA, copy, machineB } = await registeredOriginal();
    const stateBefore = readFileSync(join(copy, 'state.json'), 'utf8');

    const status = await runCli(['status', '--state-dir', copy], machineB);
    expect(status.code).toBe(17);
    expect(status.stderr).toContain('error: another machine uses this registration.');
    expect(status.stderr).toContain(
      'hint: If this machine is a copy (a cloned image or container), run "license-server register --reset" on it',
    );
    // The report is kept in the spool (not rejected as the cloud's refusal of a report would be).
    const upload = await runCli(['upload', '--state-dir', copy, '--sample-days', '1'], machineB);
    expect(upload.code).toBe(17);
    expect(upload.stderr).toContain('license-server register --reset');
    expect(jsonFiles(join(copy, 'spool'))).toHaveLength(1);
    expect(jsonFiles(join(copy, 'spool', 'rejected'))).toEqual([]);
    expect((await runCli(['deregister', '--state-dir', copy], machineB)).code).toBe(17);
    // A key registration of the same instanceId from the copy can't replace the original either.
    const forced = await runCli(['register', '--state-dir', copy, '--key', key, '--force'], machineB);
    expect(forced.code).toBe(17);
    expect(readFileSync(join(copy, 'state.json'), 'utf8')).toBe(stateBefore);

    const reset = await runCli(['register', '--state-dir', copy, '--reset', '--key', key], machineB);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Registered to');
    const copyState = readState(copy);
    const originalState = readState(original);
    expect(copyState.instanceId).not.toBe(originalState.instanceId);
    expect(copyState.registrationId).not.toBe(originalState.registrationId);
    expect(reset.stdout).toContain(`now instance ${String(copyState.instanceId)}`);
    // The copy's unsent report (the original's usage) moved aside, unsent.
    expect(jsonFiles(join(copy, 'spool'))).toEqual([]);
    const [aside] = readdirSync(join(copy, 'spool')).filter((name) => name.startsWith('reset-'));
    expect(jsonFiles(join(copy, 'spool', aside!))).toHaveLength(1);

    // Two servers now, each working from its own machine; the original was marked duplicate.
    expect((await runCli(['status', '--state-dir', copy], machineB)).code).toBe(0);
    expect((await runCli(['status', '--state-dir', original], machineA)).code).toBe(0);
    const rows = await listed(session);
    expect(rows.find((r) => r.id === originalState.registrationId)).toMatchObject({ duplicate: true });
    expect(rows.find((r) => r.id === copyState.registrationId)).toMatchObject({
      instanceId: copyState.instanceId,
      duplicate: false,
    });
  });

  it('run ends with exit 17 on a copy; register --reset by code registers it as a server of its own', async () => {
    const { session, original, machineA, copy, machineB } = await registeredOriginal();
    const run = await runCli(['run', '--once', '--state-dir', copy], machineB);
    expect(run.code).toBe(17);
    expect(run.stderr).toContain('license-server register --reset');

    const reset = await registerThroughConsole(cloud, copy, session, ['--reset']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.registration.instanceId).not.toBe(readState(original).instanceId);
    expect((await runCli(['run', '--once', '--state-dir', copy], machineB)).code).toBe(0);
    expect((await runCli(['status', '--state-dir', original], machineA)).code).toBe(0);
  });
});
