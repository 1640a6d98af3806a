import os from 'node:os';
import type { Context } from '../context.ts';
import { isRegistered, type LocalState } from '../state.ts';

/** What registering needs to say who this server is, with a code or with a request file alike. */
export const DEFAULT_PRODUCT_VERSION = '11.17.2.0';

export interface RegisterOptions {
  serverName?: string;
  hostname?: string;
  os?: string;
  productVersion?: string;
  usageSharing: boolean;
  force: boolean;
}

export function defaultOs(): string {
  // os.version() names the Windows edition ("Windows Server 2022 Datacenter"); elsewhere it is a build string.
  return os.type() === 'Windows_NT' ? os.version() : `${os.type()} ${os.release()}`;
}

/** Already registered and not forced: says so (the same words for code and file) and answers true. */
export function refusedAsRegistered(ctx: Context, force: boolean, forceCommand: string): boolean {
  const { state, io } = ctx;
  if (!isRegistered(state) || force) return false;
  io.err(
    `This server is already registered to ${state.customer.name} (registration ${state.registrationId}). ` +
      `Run deregister first, or ${forceCommand} to replace the registration.`,
  );
  return true;
}

/**
 * The names this server registers under: the flags, else the names it registered with before
 * (kept in the state directory, so registering again does not rename it), else this machine's host name.
 */
export function serverIdentity(
  options: Pick<RegisterOptions, 'hostname' | 'serverName'>,
  remembered: Pick<LocalState, 'hostname' | 'serverName'>,
) {
  const hostname = options.hostname ?? remembered.hostname ?? os.hostname();
  return { hostname, serverName: options.serverName ?? remembered.serverName ?? hostname.split('.')[0] ?? hostname };
}
