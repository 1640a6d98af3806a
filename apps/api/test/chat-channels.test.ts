import { describe, expect, it } from 'vitest';
import { createTestApp, useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { useWebhookReceiver } from './helpers/receivers.ts';

const slack = useWebhookReceiver();
const teams = useWebhookReceiver();
const t = useTestApp();

const api = () => t.client.with({ prefix: '/api/console' });
const slackUrl = () => `${slack.url}/T000/B000/XXXXsecretXy7Q`;
const teamsUrl = () => `${teams.url}/workflows/abc/triggers/manual/paths/invoke?sig=s3cretKq9Z`;
const masked = (receiver: { port: number }, last4: string) => `http://127.0.0.1:${receiver.port}/…${last4}`;

async function addChannel(session: SignedIn, payload: object) {
  const created = await api().post('/notification-channels', payload, { as: session });
  expect(created.status, created.body).toBe(201);
  return created.json as { id: string; type: string; url: string; secret?: string };
}

/** The bodies a receiver got that are about this server (each test makes its own). */
const bodiesAbout = (receiver: typeof slack, needle: string) =>
  receiver.received.filter((r) => r.body.includes(needle)).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('Slack and Teams channels', () => {
  it('adds them with the URL masked everywhere after creation, no secret, and audits type and events', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const s = await addChannel(session, { type: 'slack', url: slackUrl(), events: ['registration.created'] });
    const m = await addChannel(session, { type: 'teams', url: teamsUrl(), events: ['registration.created'] });
    // The URL is the credential: the 201 already shows it masked, and there is no secret.
    expect(s).toMatchObject({ type: 'slack', url: masked(slack, 'Xy7Q'), confirmed: true });
    expect(m).toMatchObject({ type: 'teams', url: masked(teams, 'Kq9Z') });
    expect(s.secret).toBeUndefined();
    expect(m.secret).toBeUndefined();

    const list = await api().get('/notification-channels', { as: session });
    const everything = JSON.stringify(list.json);
    expect(everything).not.toContain('XXXXsecret');
    expect(everything).not.toContain('s3cret');
    expect(list.json.items.map((c: { url: string }) => c.url).sort()).toEqual(
      [masked(slack, 'Xy7Q'), masked(teams, 'Kq9Z')].sort(),
    );

    const audit = await api().get('/audit-events', { as: session, query: { action: 'notification_channel.created' } });
    expect(JSON.stringify(audit.json)).not.toContain('secret');
    expect(audit.json.items.map((e: { target: { label: string } }) => e.target.label).sort()).toEqual(
      [masked(slack, 'Xy7Q'), masked(teams, 'Kq9Z')].sort(),
    );
    expect(audit.json.items.map((e: { details: unknown }) => e.details)).toContainEqual({
      type: 'teams',
      events: ['registration.created'],
    });
  });

  it('refuses bad, hostile and oversized input with 400 and the field named', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const bad = [
      { type: 'slack', events: ['registration.created'] },
      { type: 'teams', url: 'ftp://hooks.example.com/x', events: ['registration.created'] },
      { type: 'slack', url: `https://hooks.slack.com/${'a'.repeat(2100)}`, events: ['registration.created'] },
      { type: 'slack', url: 'https://hooks.slack.com/x', events: ['registration.created'], secret: 'mine' },
      { type: 'teams', address: 'ops@example.com', events: ['registration.created'] },
      { type: 'slack', url: 'https://hooks.slack.com/x', events: ['no.such_event'] },
      { type: 'slack', url: 'javascript:alert(1)', events: ['registration.created'] },
      { type: 'discord', url: 'https://hooks.example.com/x', events: ['registration.created'] },
    ];
    for (const payload of bad) {
      const reply = await api().post('/notification-channels', payload, { as: session });
      expect(reply.status, JSON.stringify(payload)).toBe(400);
      expect(reply.json.error).toBe('invalid_request');
    }
    // Changes need the CSRF token like every other.
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/console/notification-channels',
      headers: { cookie: session.headers.cookie! },
      payload: { type: 'slack', url: 'https://hooks.slack.com/x', events: ['registration.created'] },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('applies the webhook URL rules: https when PUBLIC_URL is https, no private receivers unless allowed', async () => {
    const strict = await createTestApp({ PUBLIC_URL: 'https://console.example.com', WEBHOOK_ALLOW_PRIVATE: false });
    try {
      const { session } = await createSignedInAdmin(strict.app, strict.db);
      const post = (payload: object) =>
        strict.client.post('/api/console/notification-channels', payload, { as: session });
      const plain = await post({ type: 'slack', url: 'http://hooks.slack.com/services/x', events: ['test.none'] });
      expect(plain.status).toBe(400);
      const http = await post({ type: 'teams', url: 'http://example.com/x', events: ['registration.created'] });
      expect(http.status).toBe(400);
      expect(http.json.message).toContain('https');
      const loopback = await post({ type: 'slack', url: 'https://127.0.0.1/x', events: ['registration.created'] });
      expect(loopback.status).toBe(400);
      expect(loopback.json.message).toContain('private');
    } finally {
      await strict.app.close();
    }
  });

  it('sends the documented Slack and Teams shapes once, with hostile names unable to ping or link', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addChannel(session, { type: 'slack', url: slackUrl(), events: ['registration.created'] });
    await addChannel(session, { type: 'teams', url: teamsUrl(), events: ['registration.created'] });
    const marker = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const hostile = `<!channel> @here <@U123|boss> [click](https://evil.example) & ${marker}`;
    await registerProduct(t.app, session, { serverName: hostile, hostname: `<!here>.${marker}.example.com` });
    await t.app.services.notifications.deliverDue();

    const slackBodies = bodiesAbout(slack, marker);
    expect(slackBodies).toHaveLength(1);
    const body = slackBodies[0] as { text: string; blocks: { type: string; text?: unknown; elements?: unknown[] }[] };
    // Block Kit: a mrkdwn section with the bold summary and the facts, then a context block.
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    const section = body.blocks[0]!.text as { type: string; text: string };
    expect(section.type).toBe('mrkdwn');
    expect(section.text.startsWith(`*${body.text}*\n`)).toBe(true);
    expect(section.text).toContain('\nServer: ');
    const context = body.blocks[1]!.elements as { type: string; text: string }[];
    expect(context).toHaveLength(1);
    expect(context[0]!.type).toBe('mrkdwn');
    expect(context[0]!.text).toContain('registration.created');
    expect(context[0]!.text).toContain(
      '<http://localhost:8080/iam/api-access/product-registrations|Open in the console>',
    );
    expect(context[0]!.text).toContain(`Customer: ${session.customer.name}`);
    // Escaped as Slack asks, in text and in every block; no mention, no link but ours.
    const raw = JSON.stringify(body);
    expect(body.text).toContain('&lt;!channel&gt;');
    expect(body.text).toContain('&amp;');
    for (const text of [body.text, section.text, context[0]!.text]) {
      expect(text).not.toMatch(/<!(channel|here)/);
      expect(text).not.toMatch(/<@U/);
      expect(text).not.toMatch(/@here/);
      expect(text).not.toContain('](');
    }
    expect(raw.match(/</g)).toHaveLength(1); // only the console link

    const teamsBodies = bodiesAbout(teams, marker);
    expect(teamsBodies).toHaveLength(1);
    const card = teamsBodies[0] as {
      type: string;
      attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[];
    };
    expect(card.type).toBe('message');
    expect(card.attachments).toHaveLength(1);
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.contentUrl).toBeNull();
    const content = card.attachments[0]!.content as {
      $schema: string;
      type: string;
      version: string;
      body: {
        type: string;
        text?: string;
        weight?: string;
        wrap?: boolean;
        facts?: { title: string; value: string }[];
      }[];
      actions: { type: string; title: string; url: string }[];
    };
    expect(content).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
    });
    expect(content.body.map((b) => b.type)).toEqual(['TextBlock', 'FactSet']);
    expect(content.body[0]).toMatchObject({ weight: 'Bolder', wrap: true });
    expect(content.body[0]!.text).toContain('was registered');
    const facts = content.body[1]!.facts!;
    expect(facts.slice(0, 2).map((f) => f.title)).toEqual(['Customer', 'Server']);
    expect(facts[0]!.value).toBe(session.customer.name);
    expect(content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in the console',
        url: 'http://localhost:8080/iam/api-access/product-registrations',
      },
    ]);
    for (const text of [content.body[0]!.text!, ...facts.map((f) => f.value)]) {
      expect(text).not.toContain('](');
      expect(text).not.toMatch(/@here/);
    }
    // No signature headers: neither service checks one.
    const request = slack.received.find((r) => r.body.includes(marker))!;
    expect(request.headers['webhook-signature']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('retries a Slack delivery that is not answered 2xx, and logs it like a webhook', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const channel = await addChannel(session, { type: 'slack', url: slackUrl(), events: ['registration.created'] });
    const marker = `retry-${Date.now().toString(36)}`;
    slack.answer(500);
    await registerProduct(t.app, session, { serverName: `LS ${marker}` });
    await t.app.services.notifications.deliverDue();
    t.clock.advance(10_000);
    await t.app.services.notifications.deliverDue();
    expect(bodiesAbout(slack, marker)).toHaveLength(2);
    const log = await api().get(`/notification-channels/${channel.id}/deliveries`, { as: session });
    expect(log.json.items.map((d: { attempt: number; status: string }) => [d.attempt, d.status])).toEqual([
      [2, 'delivered'],
      [1, 'failed'],
    ]);
  });
});
