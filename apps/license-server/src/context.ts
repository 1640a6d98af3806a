import { resolve } from 'node:path';
import { CloudClient } from './cloud-client.ts';
import { createTransport, type Transport } from './http.ts';
import { machineFingerprint } from './machine-fingerprint.ts';
import { Spool } from './spool.ts';
import { StateStore, type LocalState } from './state.ts';

const DEFAULT_CLOUD_URL = 'http://localhost:8080';

/** Flags every command understands. */
interface CommonOptions {
  cloud?: string;
  stateDir?: string;
  proxy?: string;
}

/** Where output goes: tests and non-interactive runs get plain lines, a terminal gets a live line. */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Writes without a newline (progress dots, the live line). */
  write: (text: string) => void;
  isTTY: boolean;
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  isTTY: Boolean(process.stdout.isTTY),
};

export interface Context {
  store: StateStore;
  spool: Spool;
  state: LocalState;
  cloudUrl: string;
  transport: Transport;
  client: CloudClient;
  io: Output;
  /** Aborted on SIGINT/SIGTERM so waits end at once. */
  signal: AbortSignal;
}

function resolveStateDir(flag?: string): string {
  return resolve(flag ?? process.env.LICENSE_SERVER_STATE_DIR ?? '.data/license-server');
}

/** `--cloud`, else the cloud this server registered with, else the environment, else localhost. */
export function createContext(options: CommonOptions, io: Output, signal: AbortSignal): Context {
  const store = new StateStore(resolveStateDir(options.stateDir));
  const state = store.load();
  const cloudUrl = (
    options.cloud ??
    state.cloudUrl ??
    process.env.LICENSE_SERVER_CLOUD_URL ??
    DEFAULT_CLOUD_URL
  ).replace(/\/+$/, '');
  const transport = createTransport(cloudUrl, options.proxy);
  return {
    store,
    spool: new Spool(store.dir),
    state,
    cloudUrl,
    transport,
    client: new CloudClient(cloudUrl, transport, undefined, machineFingerprint()),
    io,
    signal,
  };
}

/** Resolves after `ms`, or early (without error) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
