import { randomUUID } from 'node:crypto';
import type { TRequestCodeRequest, TRequestCodeResponse } from '@reg/contracts/product-api';
import type { TSessionResponse } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/lib/crypto.ts';

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
const unique = () => randomUUID().slice(0, 8);

/** A customer with one admin, both with unique values, so test files run in parallel. */
export async function createCustomer(db: Db, name = `Customer ${unique()}`) {
  return db.customer.create({ data: { name } });
}

export async function createAdmin(db: Db, customerId?: string) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const customer = customerId ? { id: customerId } : await createCustomer(db);
  return db.admin.create({
    data: { customerId: customer.id, email: `admin-${unique()}@example.com`, passwordHash: await passwordHash },
    include: { customer: true },
  });
}

export interface SignedIn extends TSessionResponse {
  cookie: string;
  headers: Record<string, string>;
}

/** Signs in through the API and returns the headers a browser would send on a change. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/console/session', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as TSessionResponse;
  const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { ...body, cookie, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

export async function createSignedInAdmin(app: FastifyInstance, db: Db, customerId?: string) {
  const admin = await createAdmin(db, customerId);
  return { admin, session: await signIn(app, admin.email) };
}

export function codeRequest(overrides: Partial<TRequestCodeRequest> = {}): TRequestCodeRequest {
  return {
    product: 'license-server',
    productVersion: '11.17.2.0',
    instanceId: randomUUID(),
    serverName: `LS-${unique()}`,
    hostname: `ls-${unique()}.corp.example.com`,
    os: 'Windows Server 2022',
    usageSharing: true,
    ...overrides,
  };
}

export async function requestCode(app: FastifyInstance, overrides: Partial<TRequestCodeRequest> = {}) {
  const response = await app.inject({ method: 'POST', url: '/api/product/v1/codes', payload: codeRequest(overrides) });
  if (response.statusCode !== 201) throw new Error(`code request failed: ${response.statusCode} ${response.body}`);
  return response.json() as TRequestCodeResponse;
}

/** A product that asked for a code, an admin who registered it, and the credential delivered. */
export async function registerProduct(
  app: FastifyInstance,
  session: SignedIn,
  overrides: Partial<TRequestCodeRequest> = {},
  advance?: () => void,
) {
  const code = await requestCode(app, overrides);
  const registered = await app.inject({
    method: 'POST',
    url: '/api/console/registrations',
    headers: session.headers,
    payload: { code: code.code },
  });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  advance?.();
  const polled = await app.inject({
    method: 'POST',
    url: '/api/product/v1/codes/poll',
    payload: { pollToken: code.pollToken },
  });
  if (polled.statusCode !== 200) throw new Error(`poll failed: ${polled.statusCode} ${polled.body}`);
  const body = polled.json() as { credential: string; registrationId: string };
  return {
    code,
    registrationId: body.registrationId,
    credential: body.credential,
    bearer: { authorization: `Bearer ${body.credential}` },
  };
}
