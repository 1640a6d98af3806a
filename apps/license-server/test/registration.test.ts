import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW, closedPortUrl, newStateDir, runCli, runNew, startCli } from './cli.ts';
import { CODE_LINE, consoleAction, readState, registerThroughConsole, signedInAdmin, useCloud } from './real-api.ts';

const cloud = useCloud();

describe('register, against the real API', { timeout: SLOW }, () => {
  it('shows the code and the link, and names the customer once an admin registers it', async () => {
    const stateDir = newStateDir();
    const { session, admin } = await signedInAdmin(cloud);
    const result = await registerThroughConsole(cloud, stateDir, session, ['--server-name', 'LS-IT-01']);

    expect(result.code).toBe(0);
    expect(result.shownCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(result.stdout).toContain(`?code=${result.shownCode.replace('-', '')}`);
    expect(result.stdout).toMatch(/expires in 1[45]:\d\d/);
    expect(result.stdout).toContain(`Registered to ${admin.customer.name}.`);

    const state = readState(stateDir);
    expect(state).toMatchObject({
      registrationId: result.registration.id,
      customer: { id: admin.customerId, name: admin.customer.name },
      cloudUrl: cloud.url,
      instanceId: result.registration.instanceId,
    });
    expect(typeof state.credential).toBe('string');
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(stateDir, 'state.json')).mode & 0o777).toBe(0o600);

    const status = await runCli(['status', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Registered to ${admin.customer.name}`);
    expect(status.stdout).toContain(result.registration.id);

    const again = await runCli(['register', '--state-dir', stateDir]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^error: this server is already registered to .+\nhint: Run deregister first/);
  });

  it('keeps the same instanceId and the name it registered with across re-registrations', async () => {
    const stateDir = newStateDir();
    const { session } = await signedInAdmin(cloud);
    const first = await registerThroughConsole(cloud, stateDir, session, ['--server-name', 'LS-Named-01']);
    expect((await runCli(['deregister', '--state-dir', stateDir])).code).toBe(0);
    // No --server-name this time: the name given before stays, not this machine's host name.
    const second = await registerThroughConsole(cloud, stateDir, session);
    expect(second.code).toBe(0);
    expect(second.registration.instanceId).toBe(first.registration.instanceId);
    expect(second.registration.id).not.toBe(first.registration.id);
    expect(second.registration.serverName).toBe('LS-Named-01');
  });

  it('says so when an admin denies the code', async () => {
    const stateDir = newStateDir();
    const { session } = await signedInAdmin(cloud);
    const cli = startCli(['register', '--cloud', cloud.url, '--state-dir', stateDir]);
    const [, code] = await cli.waitFor(CODE_LINE);
    expect((await consoleAction(cloud, session, 'POST', '/registrations/deny', { code })).statusCode).toBe(204);
    const result = await cli.exited;
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('error: an admin denied this registration.');
    expect(readState(stateDir).credential).toBeUndefined();
  });

  it('says the code expired when no admin registered it in time', async () => {
    const stateDir = newStateDir();
    const cli = startCli(['register', '--cloud', cloud.url, '--state-dir', stateDir]);
    await cli.waitFor(CODE_LINE);
    cloud.jumpAhead(16 * 60_000);
    const result = await cli.exited;
    expect(result.code).toBe(7);
    expect(result.stderr).toContain(
      'error: the code expired before an admin registered it.\nhint: Run register again.',
    );
  });

  it('names the minimum version to upgrade to, and asks for usage sharing', async () => {
    const old = await runNew(cloud.url, 'register', ['--product-version', '11.9.0.0']);
    expect(old.code).toBe(9);
    expect(old.stderr).toMatch(/^error: .*11\.15\.0\.0 or later\.\nhint: Upgrade the License Server/m);
    const noSharing = await runNew(cloud.url, 'register', ['--no-usage-sharing']);
    expect(noSharing.code).toBe(9);
    expect(noSharing.stderr).toContain('hint: Turn usage sharing on');
  });
});

describe('status and deregister, against the real API', { timeout: SLOW }, () => {
  it('forgets the credential when the registration was removed in the console', async () => {
    const stateDir = newStateDir();
    const { session } = await signedInAdmin(cloud);
    const { registration } = await registerThroughConsole(cloud, stateDir, session);
    const instanceId = readState(stateDir).instanceId;
    expect((await consoleAction(cloud, session, 'DELETE', `/registrations/${registration.id}`)).statusCode).toBe(204);

    const status = await runCli(['status', '--state-dir', stateDir]);
    expect(status.code).toBe(6);
    expect(status.stderr).toContain(
      "error: this server's registration was removed in the cloud.\nhint: Run register to register it again.",
    );
    const state = readState(stateDir);
    expect(state.credential).toBeUndefined();
    expect(state.instanceId).toBe(instanceId);

    const notRegistered = await runCli(['status', '--state-dir', stateDir]);
    expect(notRegistered.code).toBe(3);
    expect(notRegistered.stdout).toContain('not registered');
  });

  it('removes the registration in the cloud when the cloud is up', async () => {
    const stateDir = newStateDir();
    const { session } = await signedInAdmin(cloud);
    const { registration } = await registerThroughConsole(cloud, stateDir, session);
    const result = await runCli(['deregister', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(readState(stateDir).credential).toBeUndefined();
    const list = await consoleAction(cloud, session, 'GET', '/registrations');
    expect((list.json() as { items: { id: string }[] }).items.map((r) => r.id)).not.toContain(registration.id);
  });

  it('forgets the credential when the cloud is down, and says to remove it in the console', async () => {
    const stateDir = newStateDir();
    const { session } = await signedInAdmin(cloud);
    const { registration } = await registerThroughConsole(cloud, stateDir, session);
    const result = await runCli(['deregister', '--state-dir', stateDir, '--cloud', await closedPortUrl()]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(
      /^error: could not reach the cloud: connection refused.*\. The credential was removed from this server\.\n/,
    );
    expect(result.stderr).toContain(
      'hint: Remove the registration in the console too (Product Registrations > Actions',
    );
    expect(readState(stateDir).credential).toBeUndefined();
    // Nothing reached the cloud: the registration is still there for the admin to remove.
    const list = await consoleAction(cloud, session, 'GET', '/registrations');
    expect((list.json() as { items: { id: string }[] }).items.map((r) => r.id)).toContain(registration.id);
  });
});

describe('check, against the real API', { timeout: SLOW }, () => {
  it('says OK for every item when the cloud is reachable', async () => {
    const result = await runNew(cloud.url, 'check');
    expect(result.stdout).toContain('Proxy: none');
    expect(result.stdout.match(/ OK$/gm)).toHaveLength(3);
    expect(result.code).toBe(0);
  });

  it('says FAILED and why when it is not, and never prints proxy credentials', async () => {
    const down = await runCli(['check', '--cloud', await closedPortUrl(), '--state-dir', newStateDir()]);
    expect(down.code).toBe(12);
    expect(down.stdout.match(/FAILED: refused/g)).toHaveLength(3);

    const viaProxy = await runNew(cloud.url, 'check', [
      '--proxy',
      `http://alice:s3cret@127.0.0.1:${new URL(await closedPortUrl()).port}`,
    ]);
    expect(viaProxy.code).toBe(12);
    expect(viaProxy.stdout).toContain('Proxy: http://***:***@127.0.0.1');
    expect(viaProxy.stdout).toMatch(/FAILED: proxy/);
    expect(viaProxy.stdout + viaProxy.stderr).not.toContain('s3cret');
  });

  it('says DNS for a wrong host, and the HTTP status for a wrong path', async () => {
    // .invalid is reserved and never resolves (RFC 2606), so the lookup fails at once, even offline.
    const result = await runCli(['check', '--cloud', 'http://cloud.invalid:8080', '--state-dir', newStateDir()]);
    expect(result.code).toBe(12);
    expect(
      result.stdout.match(/FAILED: DNS: DNS lookup failed for cloud\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/gm),
    ).toHaveLength(3);
    expect(result.stdout).toContain('3 of 3 items failed.');

    // A real cloud host with a wrong path: each item gets an HTTP status, not a network error.
    const wrongPath = await runCli(['check', '--cloud', `${cloud.url}/not-the-api`, '--state-dir', newStateDir()]);
    expect(wrongPath.code).toBe(12);
    expect(wrongPath.stdout.match(/FAILED: unexpected HTTP status 404, expected 40[01]\./g)).toHaveLength(3);
  });
});
