import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSignedInAdmin, type SignedIn } from '../../api/test/helpers/factories.ts';
import { forTheFile } from '../../api/test/helpers/fixture.ts';
import { startTestServer } from '../../api/test/helpers/server.ts';
import { startCli } from './cli.ts';

/**
 * The real API on a loopback port. Its clock is a manual one; here it follows real time
 * (plus `offset`, to jump ahead), since the CLI really waits between polls and the API
 * judges the pace of polling by its clock.
 */
async function startCloud() {
  const server = await startTestServer({ POLL_INTERVAL_SECONDS: 1 });
  let offset = 0;
  const follow = setInterval(() => server.clock.set(Date.now() + offset), 10);
  return {
    ...server,
    jumpAhead: (ms: number) => {
      offset += ms;
      server.clock.set(Date.now() + offset);
    },
    stop: async () => {
      clearInterval(follow);
      await server.close();
    },
  };
}
type Cloud = Awaited<ReturnType<typeof startCloud>>;

/** The cloud for the whole test file: started before its tests, stopped after them. */
export const useCloud = (): Cloud => forTheFile(startCloud, (cloud) => cloud.stop());

export async function signedInAdmin(cloud: Cloud) {
  return createSignedInAdmin(cloud.app, cloud.db);
}

export async function consoleAction(
  cloud: Cloud,
  session: SignedIn,
  method: 'POST' | 'DELETE' | 'GET',
  url: string,
  payload?: unknown,
) {
  return cloud.app.inject({
    method,
    url: `/api/console${url}`,
    headers: session.headers,
    ...(payload ? { payload } : {}),
  });
}

export const CODE_LINE = /Registration code: ([0-9A-Z]{4}-[0-9A-Z]{4})/;

/** The whole flow: the CLI asks for a code, the admin registers it in the console, the CLI gets its credential. */
export async function registerThroughConsole(cloud: Cloud, stateDir: string, session: SignedIn, extra: string[] = []) {
  const cli = startCli(['register', '--cloud', cloud.url, '--state-dir', stateDir, ...extra]);
  const [, code] = await cli.waitFor(CODE_LINE);
  const registered = await consoleAction(cloud, session, 'POST', '/registrations', { code });
  if (registered.statusCode !== 201) throw new Error(`console register: ${registered.statusCode} ${registered.body}`);
  const result = await cli.exited;
  return {
    ...result,
    shownCode: code!,
    registration: registered.json() as { id: string; instanceId: string; serverName: string },
  };
}

export function readState(stateDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as Record<string, unknown>;
}
