import { describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli } from './cli.ts';
import { registered, scriptedCloud, UNAVAILABLE, type Answer } from './scripted-cloud.ts';

/**
 * register by code when the cloud answers 503 `unavailable` at its request deadline: the code
 * request is sent again after the backoff (nothing of it was kept), and a poll, which only reads,
 * waits it out as it does a cloud out of reach.
 */
const CODES = 'POST /api/product/v1/codes';
const POLL = 'POST /api/product/v1/codes/poll';

const CODE: Answer = {
  status: 201,
  body: {
    code: 'ABCD2345',
    pollToken: 'poll-token',
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    expiresIn: 600,
    interval: 1,
    verificationUri: 'https://cloud.example/register',
    verificationUriComplete: 'https://cloud.example/register?code=ABCD2345',
  },
};
const REGISTERED = registered(200);

const registerArgs = (url: string) => ['register', '--cloud', url, '--state-dir', newStateDir()];

describe('register by code and 503 unavailable', { timeout: SLOW }, () => {
  it('asks for the code again after the backoff, and registers', async () => {
    const cloud = await scriptedCloud({ [CODES]: [UNAVAILABLE, CODE], [POLL]: [REGISTERED] });
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: the cloud is briefly unavailable .*; trying again in \d+ s\./);
    expect(result.stdout).toContain('Registration code: ABCD-2345');
    expect(result.stdout).toContain('Registered to Fake Co.');
    expect(cloud.sent[CODES]).toHaveLength(2);
    expect(JSON.parse(cloud.sent[CODES]![1]!.body)).toEqual(JSON.parse(cloud.sent[CODES]![0]!.body));
  });

  it('keeps polling through a 503 while the code lives, and registers', async () => {
    const cloud = await scriptedCloud({ [CODES]: [CODE], [POLL]: [UNAVAILABLE, UNAVAILABLE, REGISTERED] });
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('Cloud briefly unavailable');
    expect(result.stdout).toContain('Registered to Fake Co.');
    expect(cloud.sent[POLL]).toHaveLength(3);
    // The poll after a 503 waits at least the Retry-After the cloud gave (1 s).
    expect(cloud.sent[POLL]![1]!.at - cloud.sent[POLL]![0]!.at).toBeGreaterThanOrEqual(900);
  });
});
