import { describe, expect, it } from 'vitest';
import { plainError, PrivateAddressError } from '../src/modules/notifications/delivery-errors.ts';
import { emailOf, type EventMessage } from '../src/modules/notifications/event-messages.ts';
import { maskUrl } from '../src/modules/notifications/mask-url.ts';

const server = {
  licenseServerId: '7d3c3f0a-9a43-4b2e-9a7c-1f3c2f6f0d11',
  registrationId: null,
  serverName: 'LS-01\nCustomer: Evil Corp\nOpen: http://evil.example',
  hostname: 'ls-01\r\nAt: forged',
};
const event = (overrides: Partial<EventMessage> = {}): EventMessage =>
  ({
    type: 'usage.deleted',
    data: { server, deletedRecords: 3 },
    createdAt: new Date('2026-12-01T00:00:00Z'),
    customerId: 'c',
    customerName: 'Contoso',
    ...overrides,
  }) as EventMessage;

describe('mail text', () => {
  it('keeps every name on its own quoted line: no forged Customer:, Open: or At: lines', () => {
    const { subject, text } = emailOf(event(), 'https://console.example.com');
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('Customer:'))).toEqual(['Customer: "Contoso"']);
    expect(lines.filter((l) => l.startsWith('Open:'))).toEqual([
      `Open: https://console.example.com/licensing/license-servers/${server.licenseServerId}`,
    ]);
    expect(lines.filter((l) => l.startsWith('At:'))).toHaveLength(1);
    expect(lines).toContain(
      'Server: "LS-01\\nCustomer: Evil Corp\\nOpen: http://evil.example" ("ls-01\\r\\nAt: forged")',
    );
    expect(lines).toContain('Deleted records: "3"');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('escapes C1 controls and the Unicode line separators too', () => {
    const { text } = emailOf(event({ customerName: 'A\u0085B\u2028C\u2029D\u0000E' }), 'https://x.example');
    expect(text).toContain('Customer: "A\\u0085B\\u2028C\\u2029D\\u0000E"');
  });
});

describe('webhook URLs as lists and the audit log show them', () => {
  it.each([
    [
      'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx',
      'https://hooks.slack.com/services/…/…/…',
    ],
    [
      'https://contoso.webhook.office.com/webhookb2/0f6c1e8e-2b4e-4a43-9c3b-1f2e3d4c5b6a@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/9c1b2e/0f6c1e8e-2b4e',
      'https://contoso.webhook.office.com/webhookb2/…/IncomingWebhook/…/…',
    ],
    ['https://user:pass@example.com:8443/hooks/ci?token=abc#frag', 'https://example.com:8443/hooks/ci?…'],
    ['http://127.0.0.1:9000/hooks/registration', 'http://127.0.0.1:9000/hooks/registration'],
    ['not a url', '…'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe('delivery errors in plain words', () => {
  const withCause = (code: string, message: string) =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
  it.each([
    [withCause('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:8443'), 'connection refused'],
    [withCause('ENOTFOUND', 'getaddrinfo ENOTFOUND hooks.internal'), 'name not found'],
    [withCause('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error (attempted address: 10.0.0.7:443)'), 'timed out'],
    [withCause('CERT_HAS_EXPIRED', 'certificate has expired'), 'TLS error'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timed out'],
    [Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }), 'timed out'],
    [
      Object.assign(new Error('Mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550 }),
      'mail server answered 550',
    ],
    [new TypeError('fetch failed', { cause: new PrivateAddressError() }), 'private address, not allowed'],
    [new Error('something odd at 10.1.2.3:25'), 'could not connect'],
  ])('%s', (error, words) => {
    expect(plainError(error)).toBe(words);
  });
});
