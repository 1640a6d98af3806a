import { gzipSync } from 'node:zlib';
import { fetch } from 'undici';
import type { z } from 'zod';
import { ZErrorBody } from '@reg/contracts/common';
import {
  ZKeyRegistrationPending,
  ZPollPending,
  ZPollRegistered,
  ZRegistrationStatusResponse,
  ZRequestCodeResponse,
  ZSlowDown,
  type TKeyRegistrationPending,
  type TKeyRegistrationRequest,
  type TPollRegistered,
  type TRegistrationStatusResponse,
  type TRequestCodeRequest,
  type TRequestCodeResponse,
} from '@reg/contracts/product-api';
import { ZUsageAccepted, type TUsageAccepted } from '@reg/contracts/usage-api';
import { classifyNetworkError, type NetworkProblem } from './network-errors.ts';
import { proxyHost, type Transport } from './http.ts';

const REQUEST_TIMEOUT_MS = 10_000;

/** Everything that went wrong talking to the cloud, as one type the commands switch on. */
export class CloudError extends Error {
  readonly kind: 'http' | 'network';
  readonly status: number | undefined;
  /** The error code of the body (`registration_removed`…), or the network problem's kind. */
  readonly error: string;
  readonly retryAfter: number | undefined;
  readonly causeCode: string | undefined;
  readonly body: Record<string, unknown>;

  constructor(init: {
    kind: 'http' | 'network';
    status?: number;
    error: string;
    message: string;
    retryAfter?: number;
    causeCode?: string;
    body?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'CloudError';
    this.kind = init.kind;
    this.status = init.status;
    this.error = init.error;
    this.retryAfter = init.retryAfter;
    this.causeCode = init.causeCode;
    this.body = init.body ?? {};
  }

  static network(problem: NetworkProblem): CloudError {
    return new CloudError({
      kind: 'network',
      error: problem.kind,
      message: problem.description,
      causeCode: problem.code,
    });
  }
}

type KeyRegistrationResult = TKeyRegistrationPending | TPollRegistered;

type PollResult =
  | { status: 'pending'; interval: number }
  | { status: 'slow_down'; interval: number }
  | ({ status: 'registered' } & TPollRegistered);

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export class CloudClient {
  constructor(
    readonly baseUrl: string,
    private readonly transport: Transport,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
    /** Sent as X-Machine-Fingerprint on every request (clone detection); null: not sent. */
    private readonly fingerprint: string | null = null,
  ) {}

  async requestCode(request: TRequestCodeRequest): Promise<TRequestCodeResponse> {
    const answer = await this.send('POST', '/codes', { json: request });
    return this.expect(answer, 201, ZRequestCodeResponse);
  }

  /** Register with a registration key: registered at once (201) or waiting for approval (202). */
  async registerByKey(request: TKeyRegistrationRequest): Promise<KeyRegistrationResult> {
    const answer = await this.send('POST', '/registrations', { json: request });
    if (answer.status === 202) return this.expect(answer, 202, ZKeyRegistrationPending);
    return { ...this.expect(answer, 201, ZPollRegistered) };
  }

  async poll(pollToken: string): Promise<PollResult> {
    const answer = await this.send('POST', '/codes/poll', { json: { pollToken } });
    if (answer.status === 202) return { ...this.expect(answer, 202, ZPollPending) };
    if (answer.status === 200) return { ...this.expect(answer, 200, ZPollRegistered) };
    const slowDown = ZSlowDown.safeParse(answer.body);
    if (answer.status === 429 && slowDown.success) return { status: 'slow_down', interval: slowDown.data.interval };
    throw this.httpError(answer);
  }

  async getRegistration(credential: string): Promise<TRegistrationStatusResponse> {
    const answer = await this.send('GET', '/registration', { credential });
    return this.expect(answer, 200, ZRegistrationStatusResponse);
  }

  async deleteRegistration(credential: string): Promise<void> {
    const answer = await this.send('DELETE', '/registration', { credential });
    if (answer.status !== 204) throw this.httpError(answer);
  }

  /** `reportJson` is sent byte for byte as spooled, so a retry is the same body. */
  async uploadUsage(credential: string, reportJson: string): Promise<TUsageAccepted> {
    const answer = await this.send('POST', '/usage', { credential, gzipped: gzipSync(reportJson) });
    if (answer.status === 200) return this.expect(answer, 200, ZUsageAccepted);
    return this.expect(answer, 202, ZUsageAccepted);
  }

  /** A raw request for `check`, which judges the answers itself. */
  async probe(method: string, path: string, json?: unknown): Promise<Answer> {
    return this.send(method, path, json === undefined ? {} : { json });
  }

  private async send(
    method: string,
    path: string,
    options: { json?: unknown; credential?: string; gzipped?: Buffer },
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.gzipped) {
      headers['content-type'] = 'application/json';
      headers['content-encoding'] = 'gzip';
      body = options.gzipped;
    }
    if (options.credential) headers.authorization = `Bearer ${options.credential}`;
    if (this.fingerprint) headers['x-machine-fingerprint'] = this.fingerprint;
    try {
      const response = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/api/product/v1${path}`, {
        method,
        headers,
        body,
        dispatcher: this.transport.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text; // A proxy's HTML error page: kept for the message.
      }
      return { status: response.status, headers: response.headers as unknown as Headers, body: parsed };
    } catch (error) {
      throw CloudError.network(classifyNetworkError(error, proxyHost(this.transport)));
    }
  }

  private expect<T extends z.ZodType>(answer: Answer, status: number, schema: T): z.infer<T> {
    if (answer.status !== status) throw this.httpError(answer);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      throw new CloudError({
        kind: 'http',
        status: answer.status,
        error: 'unexpected_response',
        message: `The cloud answered ${answer.status} with a body this version does not understand.`,
      });
    }
    return parsed.data;
  }

  private httpError(answer: Answer): CloudError {
    const retryAfter = Number(answer.headers.get('retry-after') ?? Number.NaN);
    const errorBody = ZErrorBody.safeParse(answer.body);
    const body = (errorBody.success ? answer.body : {}) as Record<string, unknown>;
    return new CloudError({
      kind: 'http',
      status: answer.status,
      error: errorBody.success ? errorBody.data.error : `http_${answer.status}`,
      message: errorBody.success
        ? errorBody.data.message
        : `The cloud answered HTTP ${answer.status}${answer.status === 407 ? ' (the proxy requires authentication)' : ''}.`,
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
      body,
    });
  }
}
