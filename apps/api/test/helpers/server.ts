import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config.ts';
import { createTestApp } from './app.ts';

/**
 * The real API listening on a free loopback port, for clients that speak real HTTP
 * (the License Server CLI). Console actions go through `app.inject` with a signed-in admin.
 */
export async function startTestServer(overrides: Partial<Config> = {}) {
  const testApp = await createTestApp(overrides);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = testApp.app.server.address() as AddressInfo;
  return { ...testApp, url: `http://127.0.0.1:${port}`, port, close: () => testApp.app.close() };
}
