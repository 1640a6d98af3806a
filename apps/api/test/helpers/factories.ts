import { randomUUID } from 'node:crypto';
import type { TRequestCodeRequest, TRequestCodeResponse } from '@reg/contracts/product-api';
import type { TSessionResponse } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/lib/crypto.ts';
import { createClient } from './client.ts';

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
const unique = () => randomUUID().slice(0, 8);

/** A customer with one admin, both with unique values, so test files run in parallel. */
export async function createCustomer(db: Db, name = `Customer ${unique()}`) {
  return db.customer.create({ data: { name } });
}

/**
 * An active admin (a person with one membership) with a permanent password. `email` picks the
 * person: an existing person's email adds a membership of theirs to the customer.
 */
export async function createAdmin(db: Db, customerId?: string, email = `admin-${unique()}@example.com`) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const customer = customerId ? { id: customerId } : await createCustomer(db);
  const person = await db.person.upsert({
    where: { email },
    create: { email, passwordHash: await passwordHash },
    update: {},
  });
  const admin = await db.admin.create({
    data: { customerId: customer.id, personId: person.id },
    include: { customer: true },
  });
  return { ...admin, email: person.email, passwordHash: person.passwordHash };
}

export interface SignedIn extends TSessionResponse {
  cookie: string;
  headers: Record<string, string>;
}

/** Signs in through the API and returns the headers a browser would send on a change. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<SignedIn> {
  const response = await createClient(app).post<TSessionResponse>('/api/console/session', { email, password });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${response.body}`);
  const body = response.json;
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
  const response = await createClient(app).post<TRequestCodeResponse>('/api/product/v1/codes', codeRequest(overrides));
  if (response.status !== 201) throw new Error(`code request failed: ${response.status} ${response.body}`);
  return response.json;
}

/** A product that asked for a code, an admin who registered it, and the credential delivered. */
export async function registerProduct(
  app: FastifyInstance,
  session: SignedIn,
  overrides: Partial<TRequestCodeRequest> = {},
  advance?: () => void,
) {
  const client = createClient(app);
  const code = await requestCode(app, overrides);
  const registered = await client.post('/api/console/registrations', { code: code.code }, { as: session });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${registered.body}`);
  advance?.();
  const polled = await client.post<{ credential: string; registrationId: string }>('/api/product/v1/codes/poll', {
    pollToken: code.pollToken,
  });
  if (polled.status !== 200) throw new Error(`poll failed: ${polled.status} ${polled.body}`);
  const body = polled.json;
  return {
    code,
    registrationId: body.registrationId,
    credential: body.credential,
    bearer: { authorization: `Bearer ${body.credential}` },
  };
}

/** A password the policy takes (12+ characters, not common, not the email's name). */
export const STRONG_PASSWORD = 'violet lantern 42 harbour';

/** The token in an invitation or reset link's fragment. */
export const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');

/**
 * Invites an admin through the console API and accepts the invitation with STRONG_PASSWORD:
 * an active admin who chose their own password, as a new admin is made now.
 */
export async function inviteAndAccept(
  app: FastifyInstance,
  by: SignedIn,
  role: 'full' | 'read-only',
  email = `admin-${unique()}@example.com`,
) {
  const client = createClient(app);
  const invited = await client.post<{ admin: { id: string; email: string; role: string }; invitationUrl: string }>(
    '/api/console/admins',
    { email, role },
    { as: by },
  );
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${invited.body}`);
  const accepted = await client.post('/api/console/invitations/accept', {
    token: tokenOf(invited.json.invitationUrl),
    password: STRONG_PASSWORD,
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.body}`);
  return { admin: invited.json.admin, password: STRONG_PASSWORD, invitationUrl: invited.json.invitationUrl };
}
