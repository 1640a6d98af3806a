import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scriptExample } from '../../console/src/features/api-clients/lib/script-example.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { startTestServer } from './helpers/server.ts';
import { createClient } from './helpers/client.ts';

vi.setConfig({ testTimeout: 120_000 });

/** The Secure Clients page's script, run by bash and curl against the real server. */
let server: Awaited<ReturnType<typeof startTestServer>>;
let session: SignedIn;
let client: { clientId: string; clientSecret: string };
beforeAll(async () => {
  server = await startTestServer();
  ({ session } = await createSignedInAdmin(server.app, server.db));
  const created = await createClient(server.app).post('/api/console/api-clients', { name: 'script' }, { as: session });
  client = created.json as typeof client;
});
afterAll(() => server.close());

async function run(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', `${scriptExample(server.url)}\necho finished`],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the Secure Clients script example', () => {
  it('removes a registration with a good client', async () => {
    const product = await registerProduct(server.app, session, {}, () => server.clock.advance(5_000));
    const result = await run({
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret,
      REGISTRATION_ID: product.registrationId,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'finished\n' });
    const registration = await server.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    expect(registration.removedAt).not.toBeNull();
  });

  it('stops on a wrong secret before the removal', async () => {
    const result = await run({ CLIENT_ID: client.clientId, CLIENT_SECRET: 'wrong', REGISTRATION_ID: randomUUID() });
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain('finished');
    expect(result.stderr).toContain('token request failed');
  });

  it('stops when the removal is refused (404)', async () => {
    const result = await run({
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret,
      REGISTRATION_ID: randomUUID(),
    });
    expect(result.code).toBe(22); // curl --fail on an HTTP error
    expect(result.stdout).not.toContain('finished');
  });
});
