import { describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli, startCli } from './cli.ts';
import { registered, scriptedCloud, UNAVAILABLE, type Answer } from './scripted-cloud.ts';

/**
 * register --key when the cloud answers 503 `unavailable` (its request deadline: nothing was
 * kept, so sending the key again is safe): the CLI backs off and sends again, as `run` does for
 * uploads.
 */
const REGISTERED = registered(201);
const KEY = 'lsreg_test-key';

const ROUTE = 'POST /api/product/v1/registrations';

/** The cloud answering key registrations from `script`; `sent` is what it was sent. */
async function keyCloud(script: Answer[]) {
  const cloud = await scriptedCloud({ [ROUTE]: script });
  return { url: cloud.url, sent: cloud.sent[ROUTE]! };
}

const registerArgs = (url: string) => ['register', '--cloud', url, '--state-dir', newStateDir(), '--key', KEY];

describe('register --key and 503 unavailable', { timeout: SLOW }, () => {
  it('sends the same registration again after the backoff, and is registered', async () => {
    const cloud = await keyCloud([UNAVAILABLE, REGISTERED]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: the cloud is briefly unavailable .*; trying again in \d+ s\./);
    expect(result.stdout).toContain('Registered to Fake Co.');
    expect(cloud.sent).toHaveLength(2);
    expect(JSON.parse(cloud.sent[1]!.body)).toEqual(JSON.parse(cloud.sent[0]!.body));
    // The first backoff is 5 s less its 20 % jitter, longer than the Retry-After of 1 s.
    expect(cloud.sent[1]!.at - cloud.sent[0]!.at).toBeGreaterThanOrEqual(3900);
  });

  it('takes the answer after a 503 as it is: a refused key is not sent a third time', async () => {
    const refused = { status: 401, body: { error: 'invalid_registration_key', message: 'Refused.' } };
    const cloud = await keyCloud([UNAVAILABLE, refused]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(18);
    expect(result.stderr).toContain('the registration key was refused');
    expect(cloud.sent).toHaveLength(2);
  });

  it('does not send again after other server errors, which may have kept something', async () => {
    const cloud = await keyCloud([
      { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side.' } },
    ]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('500 internal_error');
    expect(cloud.sent).toHaveLength(1);
  });

  it('stops waiting at Ctrl+C (exit 130) without sending again', async () => {
    const cloud = await keyCloud([UNAVAILABLE, REGISTERED]);
    const cli = startCli(registerArgs(cloud.url));
    await cli.waitFor(/trying again in \d+ s/);
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(cloud.sent).toHaveLength(1);
  });

  it('gives up after five sends, with the cloud’s answer', { timeout: 300_000 }, async () => {
    const cloud = await keyCloud([UNAVAILABLE]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('503 unavailable');
    expect(cloud.sent).toHaveLength(5);
  });
});
