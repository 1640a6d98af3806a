import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RegistrationService } from '../modules/registrations/registrations.service.ts';
import { actorOf, type AdminPrincipal, type ApiClientPrincipal } from './principal.ts';

const admin: AdminPrincipal = {
  type: 'admin',
  id: '0b0f2a4e-8c1d-4f6e-9a3b-5d7c9e1f2a4b',
  email: 'ana@example.com',
  role: 'full',
  customerId: 'c',
  customerName: 'Example',
  sessionId: 's',
  csrfToken: 't',
  personId: 'p',
  sessionMethod: 'password',
  passwordChangeRequired: false,
  mfaEnrollmentRequired: false,
};
const client: ApiClientPrincipal = {
  type: 'api-client',
  id: '1b0f2a4e-8c1d-4f6e-9a3b-5d7c9e1f2a4b',
  name: 'Retirement script',
  role: 'read-only',
  createdByAdminId: admin.id,
  customerId: 'c',
  customerName: 'Example',
};

describe('principals', () => {
  it('names an admin by email and an API client by name in the audit log', () => {
    expect(actorOf(admin)).toEqual({ type: 'admin', id: admin.id, label: 'ana@example.com' });
    expect(actorOf(client)).toEqual({ type: 'api-client', id: client.id, label: 'Retirement script' });
  });

  it('lets only an admin be recorded as who registered a server (checked by the compiler)', () => {
    type Registrant = Parameters<RegistrationService['register']>[0];
    expectTypeOf(admin).toMatchTypeOf<Registrant>();
    // An API client is not an admin: "registered by" can't record one.
    expectTypeOf(client).not.toMatchTypeOf<Registrant>();
  });

  it('names the operator CLI in the audit log, with no admin id', () => {
    expect(actorOf({ type: 'operator', customerId: 'c', label: 'Operator (admin CLI)' })).toEqual({
      type: 'operator',
      id: null,
      label: 'Operator (admin CLI)',
    });
  });
});
