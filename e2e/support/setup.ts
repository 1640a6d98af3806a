import { expect } from '@playwright/test';
import type { ConsoleApi } from './api.ts';
import type { LicenseServer } from './license-server.ts';

/** Setup, not under test: the CLI asks for a code, the admin registers it through the API, the CLI stores its credential. */
export async function registerThroughApi(api: ConsoleApi, server: LicenseServer) {
  const { code, process: cli } = await server.register();
  const registration = await api.register(code);
  const exit = await cli.waitForExit();
  expect(exit.code, exit.stdout + exit.stderr).toBe(0);
  return registration;
}
