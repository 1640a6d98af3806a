import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ZOfflineResponseFile } from '@reg/contracts/offline-api';
import { CliError } from '@reg/cli-kit/cli';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { decryptCredential, newOfflineKeys, signedRequestFile } from '../offline-crypto.ts';
import { forgetOfflineKeys, loadOfflineKeys, saveOfflineKeys, writeUsageFile, writeWhole } from '../offline-files.ts';
import { isRegistered } from '../state.ts';
import { refuseIfRegistered, registrationFields, type RegisterOptions } from './identity.ts';
import { readNewReports, type UploadOptions } from './new-reports.ts';

/**
 * Air-gapped License Servers (docs/offline-files.md): a request file out, a response file in,
 * usage files out. Only files cross; the private keys stay in the state directory.
 */
export function registerOffline(ctx: Context, options: RegisterOptions & { out: string }): ExitCode {
  const { io } = ctx;
  refuseIfRegistered(ctx, options.force, 'register --offline --force');
  const { instanceId, ...fields } = registrationFields(options, ctx.state);
  // A new request replaces any earlier one: only the latest request's response can be imported.
  const keys = newOfflineKeys(randomUUID(), instanceId);
  const request = signedRequestFile(keys, { createdAt: new Date().toISOString(), ...fields });
  const { serverName, hostname } = fields;
  saveOfflineKeys(ctx.store.dir, keys);
  mkdirSync(dirname(options.out), { recursive: true });
  writeWhole(options.out, `${JSON.stringify(request, null, 2)}\n`);
  ctx.state = { ...ctx.store.load(), serverName, hostname };
  ctx.store.save(ctx.state);
  io.out(`Request file written: ${options.out} (request ${request.requestId}).`);
  io.out('Take it to the console: Product Registrations > Register > Upload a request file.');
  io.out('Then bring the response file back and run: register --import <response file>');
  return EXIT.ok;
}

export function importResponse(ctx: Context, file: string): ExitCode {
  const { io } = ctx;
  const parsed = ZOfflineResponseFile.safeParse(parseJsonFile(file));
  if (!parsed.success) {
    throw refused(
      `${file} is not a registration response file (reg-offline-response/1).`,
      "Give the response file the console made for this server's request file.",
    );
  }
  const response = parsed.data;
  const state = ctx.store.load();
  if (response.instanceId !== state.instanceId) {
    throw refused(
      `this response file is for another License Server (instance ${response.instanceId}); ` +
        `this one is instance ${state.instanceId}. Nothing was changed.`,
      'Import it on the License Server that made the request.',
    );
  }
  const keys = loadOfflineKeys(ctx.store.dir);
  if (!keys) {
    throw refused(
      'no request is pending on this server (a response is imported once).',
      'Run register --offline to make one.',
    );
  }
  if (keys.requestId !== response.requestId) {
    throw refused(
      `this response file answers request ${response.requestId}, not this server's latest request ${keys.requestId}.`,
      "Upload the latest request file in the console and import that request's response.",
    );
  }
  let credential: string;
  try {
    credential = decryptCredential(keys, response);
  } catch {
    throw refused(
      'the response file was changed on the way, or was not made for this request: its credential does not open.',
      'Download the response file from the console again, or run register --offline for a new request.',
    );
  }
  ctx.state = {
    ...state,
    serverName: response.serverName,
    credential,
    registrationId: response.registrationId,
    customer: response.customer,
    registeredAt: response.registeredAt,
    registeredOffline: true,
  };
  ctx.store.save(ctx.state);
  forgetOfflineKeys(ctx.store.dir);
  io.out(`Registered to ${response.customer.name}.`);
  io.out(`Registration ${response.registrationId}, registered at ${response.registeredAt}.`);
  return EXIT.ok;
}

/** Writes the new reports and every spooled one as usage files; each leaves the spool once its file is whole. */
export function uploadOffline(ctx: Context, options: UploadOptions & { out: string }): ExitCode {
  const { state, io } = ctx;
  if (!isRegistered(state)) {
    throw new CliError(
      'this server is not registered, so it cannot write usage files.',
      EXIT.notRegistered,
      'Run register --offline first.',
    );
  }
  if (!state.registeredOffline) {
    throw new CliError(
      'this server was registered with a code: it uploads its usage itself.',
      EXIT.usage,
      'Run upload without --offline.',
    );
  }
  const fresh = readNewReports(ctx, options);
  for (const report of fresh) ctx.spool.add(report);
  const reports = ctx.spool.list();
  if (reports.length === 0) {
    io.out('Nothing to write: the spool is empty. Use --file or --sample-days.');
    return EXIT.ok;
  }
  mkdirSync(options.out, { recursive: true });
  for (const report of reports) {
    const written = writeUsageFile(options.out, state, report);
    ctx.spool.remove(report.name);
    io.out(`Wrote ${written} (report ${report.reportId}, ${report.recordCount.toLocaleString('en-US')} records).`);
  }
  io.out(
    `Done: ${reports.length} usage file(s) in ${options.out}. Upload them in the console: Licensing > License Servers > Upload usage files.`,
  );
  return EXIT.ok;
}

const refused = (message: string, hint: string) => new CliError(message, EXIT.offlineFileRefused, hint);

function parseJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
