import os from 'node:os';
import { CliError } from '@reg/cli-kit/cli';
import type { TRequestCodeRequest } from '@reg/contracts/product-api';
import type { Context } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
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

function defaultOs(): string {
  // os.version() names the Windows edition ("Windows Server 2022 Datacenter"); elsewhere it is a build string.
  return os.type() === 'Windows_NT' ? os.version() : `${os.type()} ${os.release()}`;
}

/** Already registered and not forced: refused, in the same words for code and file. */
export function refuseIfRegistered(ctx: Context, force: boolean, forceCommand: string): void {
  const { state } = ctx;
  if (!isRegistered(state) || force) return;
  throw new CliError(
    `this server is already registered to ${state.customer.name} (registration ${state.registrationId}).`,
    EXIT.alreadyRegistered,
    `Run deregister first, or ${forceCommand} to replace the registration.`,
  );
}

/**
 * The names this server registers under: the flags, else the names it registered with before
 * (kept in the state directory, so registering again does not rename it), else this machine's host name.
 */
function serverIdentity(
  options: Pick<RegisterOptions, 'hostname' | 'serverName'>,
  remembered: Pick<LocalState, 'hostname' | 'serverName'>,
) {
  const hostname = options.hostname ?? remembered.hostname ?? os.hostname();
  return { hostname, serverName: options.serverName ?? remembered.serverName ?? hostname.split('.')[0] ?? hostname };
}

/** What this server says about itself when it registers: by code, by key and in a request file alike. */
export function registrationFields(options: RegisterOptions, state: LocalState): TRequestCodeRequest {
  const { serverName, hostname } = serverIdentity(options, state);
  return {
    product: 'license-server',
    productVersion: options.productVersion ?? DEFAULT_PRODUCT_VERSION,
    instanceId: state.instanceId,
    serverName,
    hostname,
    os: options.os ?? defaultOs(),
    usageSharing: options.usageSharing,
  };
}
