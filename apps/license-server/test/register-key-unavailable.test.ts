import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli, startCli } from './cli.ts';

/**
 * register --key when the cloud answers 503 `unavailable` (its request deadline: nothing was
 * kept, so sending the key again is safe): the CLI backs off and sends again, as `run` does for
 * uploads. A scripted stand-in answers, since the real API can't be made to miss its deadline on
 * demand; the CLI is the real process.
 */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
interface Sent {
  at: number;
  body: string;
}

const UNAVAILABLE: Answer = {
  status: 503,
  body: { error: 'unavailable', message: 'The service is briefly unavailable; try again shortly.' },
  headers: { 'retry-after': '1' },
};
const REGISTERED: Answer = {
  status: 201,
  body: {
    status: 'registered',
    registrationId: randomUUID(),
    credential: 'secret-credential',
    customer: { id: randomUUID(), name: 'Fake Co' },
    registeredAt: new Date().toISOString(),
  },
};
const KEY = 'lsreg_test-key';

let server: Server | undefined;
afterEach(() => server?.close());

/** Answers POST /registrations with the script's answers in turn (the last one again once they run out). */
async function scriptedCloud(script: Answer[]) {
  const sent: Sent[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (`${req.method} ${req.url}` !== 'POST /api/product/v1/registrations') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'not_found', message: 'No such route.' }));
      }
      sent.push({ at: Date.now(), body });
      const answer = script[Math.min(sent.length, script.length) - 1]!;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, sent };
}

const registerArgs = (url: string) => ['register', '--cloud', url, '--state-dir', newStateDir(), '--key', KEY];

describe('register --key and 503 unavailable', { timeout: SLOW }, () => {
  it('sends the same registration again after the backoff, and is registered', async () => {
    const cloud = await scriptedCloud([UNAVAILABLE, REGISTERED]);
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
    const cloud = await scriptedCloud([UNAVAILABLE, refused]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(18);
    expect(result.stderr).toContain('the registration key was refused');
    expect(cloud.sent).toHaveLength(2);
  });

  it('does not send again after other server errors, which may have kept something', async () => {
    const cloud = await scriptedCloud([
      { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side.' } },
    ]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('500 internal_error');
    expect(cloud.sent).toHaveLength(1);
  });

  it('stops waiting at Ctrl+C (exit 130) without sending again', async () => {
    const cloud = await scriptedCloud([UNAVAILABLE, REGISTERED]);
    const cli = startCli(registerArgs(cloud.url));
    await cli.waitFor(/trying again in \d+ s/);
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(cloud.sent).toHaveLength(1);
  });

  it('gives up after five sends, with the cloud’s answer', { timeout: 300_000 }, async () => {
    const cloud = await scriptedCloud([UNAVAILABLE]);
    const result = await runCli(registerArgs(cloud.url));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('503 unavailable');
    expect(cloud.sent).toHaveLength(5);
  });
});
