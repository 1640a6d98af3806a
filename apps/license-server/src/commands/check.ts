import { ZErrorBody } from '@reg/contracts/common';
import { CloudError } from '../cloud-client.ts';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { describeProxy } from '../http.ts';
import { defineCommand } from '@reg/cli-kit/cli';

/**
 * The connectivity list: each thing the License Server needs from the cloud, tried
 * without side effects. Each probe is a request the cloud must refuse in a known way
 * (400 for an empty code request, 401 without a credential), which proves the path
 * through firewalls and proxies up to our API without creating a code or touching data.
 * A 400/401 that is not in our error format is a failure too: a captive portal or a
 * wrong URL also answers 401 sometimes.
 */
interface Probe {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  expectStatus: number;
  expectError?: string;
}

const PROBES: Probe[] = [
  {
    label: 'Get a registration code',
    method: 'POST',
    path: '/codes',
    body: {},
    expectStatus: 400,
    expectError: 'invalid_request',
  },
  { label: 'Confirm registration', method: 'GET', path: '/registration', expectStatus: 401 },
  { label: 'Upload usage data', method: 'POST', path: '/usage', body: {}, expectStatus: 401 },
];

async function tryProbe(ctx: Context, probe: Probe): Promise<string | null> {
  try {
    const answer = await ctx.client.probe(probe.method, probe.path, probe.body);
    const errorBody = ZErrorBody.safeParse(answer.body);
    if (answer.status === probe.expectStatus && errorBody.success) {
      if (!probe.expectError || errorBody.data.error === probe.expectError) return null;
    }
    if (answer.status === 407) return 'proxy: the proxy requires authentication (HTTP 407)';
    if (answer.status === 502 || answer.status === 504) {
      return `HTTP ${answer.status} (a proxy or gateway could not reach the cloud)`;
    }
    const detail = errorBody.success
      ? ` ${errorBody.data.error}: ${errorBody.data.message}`
      : ' (not the cloud API: check the URL)';
    return `unexpected HTTP status ${answer.status}, expected ${probe.expectStatus}.${detail}`;
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    const label = {
      dns: 'DNS',
      refused: 'refused',
      timeout: 'timed out',
      tls: 'TLS',
      proxy: 'proxy',
      reset: 'connection',
      other: 'network',
    }[error.error];
    return `${label ?? 'network'}: ${error.message}`;
  }
}

async function check(ctx: Context): Promise<ExitCode> {
  const { io } = ctx;
  io.out(`Cloud: ${ctx.cloudUrl}`);
  io.out(`Proxy: ${describeProxy(ctx.transport)}`);
  let failures = 0;
  const width = Math.max(...PROBES.map((p) => p.label.length));
  for (const probe of PROBES) {
    const failure = await tryProbe(ctx, probe);
    if (failure) failures += 1;
    io.out(`${probe.label.padEnd(width)}  ${failure ? `FAILED: ${failure}` : 'OK'}`);
  }
  io.out(
    failures === 0
      ? 'Everything this server needs from the cloud is reachable.'
      : `${failures} of ${PROBES.length} items failed.`,
  );
  return failures === 0 ? EXIT.ok : EXIT.checkFailed;
}

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'Test each thing this server needs from the cloud; say what fails and why.',
  options: {},
  examples: ['license-server check --cloud https://registration.example.com'],
  run: (_values, ctx: Context) => check(ctx),
});
