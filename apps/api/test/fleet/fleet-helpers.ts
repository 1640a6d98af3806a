import type { TCreateRegistrationKeyRequest } from '@reg/contracts/registration-keys-api';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { codeRequest, inviteAndAccept, signIn, type SignedIn } from '../helpers/factories.ts';

/** Creates a key as `session` (a full admin): the key as listed and its secret. */
export async function createKey(t: TestApp, session: SignedIn, overrides: Partial<TCreateRegistrationKeyRequest> = {}) {
  const response = await t.client.post(
    '/api/console/registration-keys',
    { description: 'Berlin rollout', maxUses: 10, expiresInDays: 30, approval: 'automatic', tags: [], ...overrides },
    { as: session },
  );
  expect(response.status, response.body).toBe(201);
  return response.json as { key: { id: string; uses: number; status: string }; secret: string };
}

/** A License Server registering by key. */
export const registerByKey = (
  t: TestApp,
  registrationKey: string,
  overrides: Record<string, unknown> = {},
  remoteAddress = '198.51.100.7',
) =>
  t.client.post(
    '/api/product/v1/registrations',
    { ...codeRequest(), registrationKey, ...overrides },
    { remoteAddress },
  );

/** A second admin of the customer, with a role, invited, accepted and signed in. */
export async function addAdmin(t: TestApp, full: SignedIn, role: 'full' | 'read-only') {
  const { admin, password } = await inviteAndAccept(
    t.app,
    full,
    role,
    `${role}-${crypto.randomUUID().slice(0, 8)}@example.com`,
  );
  return { id: admin.id, session: await signIn(t.app, admin.email, password) };
}

/** A bearer token of an API client made by `session`. */
export async function apiClientToken(t: TestApp, session: SignedIn): Promise<string> {
  const client = (await t.client.post('/api/console/api-clients', { name: 'Script' }, { as: session })).json;
  const token = await t.client.post('/api/v1/token', {
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  return token.json.access_token as string;
}

export const auditOf = async (t: TestApp, session: SignedIn, action: string) =>
  (await t.client.get('/api/console/audit-events', { as: session, query: { action, limit: 200 } })).json.items as {
    actor: { type: string; id: string | null; label: string };
    target: { type: string; id: string; label: string };
    details: Record<string, unknown>;
  }[];
