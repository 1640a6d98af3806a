import type { TAuditEvent } from '@reg/contracts/audit-api';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../lib/format.ts';
import { actionText, detailsText } from './audit-words.ts';

const REGISTRATION = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const event = (action: string, details: Record<string, unknown>): TAuditEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  at: '2026-12-01T10:00:00.000Z',
  actor: { type: 'admin', id: '00000000-0000-4000-8000-000000000002', label: 'ada@example.com' },
  action,
  target: { type: 'administrator', id: null, label: 'bob@example.com' },
  details,
});

describe('detailsText', () => {
  it.each([
    ['admin.invited', { role: 'read-only', emailSent: true }, 'role read-only · invitation email sent'],
    ['admin.invitation_renewed', { emailSent: false }, 'invitation email not sent'],
    [
      'admin.role_changed',
      { from: 'full', to: 'read-only', source: 'sso' },
      'was full access · now read-only · by single sign-on',
    ],
    ['admin.break_glass_changed', { from: false, to: true }, 'was off · now on'],
    [
      'session.signed_in',
      { sourceAddress: '203.0.113.9', method: 'sso', mfa: 'recovery_code', breakGlass: true },
      'from 203.0.113.9 · with single sign-on · second step recovery code · break-glass',
    ],
    [
      'session.sign_in_failed',
      { email: 'a@example.com', address: '203.0.113.9', reason: 'mfa_code' },
      'email a@example.com · from 203.0.113.9 · reason wrong two-step verification code',
    ],
    [
      'sso.settings_changed',
      { old: null, new: { enforce: true }, clientSecretChanged: false },
      'now enforce yes · client secret unchanged',
    ],
    [
      'notification_channel.created',
      { type: 'teams', events: ['registration.created', 'audit.event'] },
      'type Microsoft Teams · events registration.created, audit.event',
    ],
    ['registration_key.revoked', { uses: 3, reason: 'creator_removed' }, 'used 3 · reason its creator was removed'],
    [
      'mute.created',
      { scope: { all: true }, from: 'x', to: 'y', reason: 'password' },
      'for all servers · from x · until y · reason password',
    ],
    ['session.revoked', { sessionIds: [REGISTRATION] }, `sessions ${REGISTRATION}`],
    ['mfa.recovery_code_used', { remaining: 0 }, 'codes left 0'],
  ])('%s %j', (action, details, words) => {
    expect(detailsText(event(action, details))).toBe(words);
  });

  it('writes times readably and leaves ids as they are', () => {
    const from = '2026-12-24T18:00:00.000Z';
    const to = '2026-12-27T06:00:00.000Z';
    expect(detailsText(event('mute.deleted', { scope: { registrationId: REGISTRATION }, from, to }))).toBe(
      `for server ${REGISTRATION} · from ${formatDateTime(from)} · until ${formatDateTime(to)}`,
    );
    const created = event('registration_key.created', {
      description: 'Lab',
      maxUses: null,
      expiresAt: to,
      approval: 'manual',
      tags: [],
    });
    expect(detailsText(created)).toBe(
      `description Lab · expires ${formatDateTime(to)} · approval by an admin · tags none`,
    );
  });

  it('leaves out what the action already says, and shows an unknown detail as the API names it', () => {
    const removed = event('registration.removed', { reason: 'stale' });
    expect(actionText(removed)).toContain('not reporting');
    expect(detailsText(removed)).toBe('');
    expect(detailsText(event('future.action', { shinyNew: true, count: 2 }))).toBe('shinyNew yes · count 2');
  });
});
