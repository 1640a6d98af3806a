import { expect } from 'vitest';
import type { TestClient, Who } from './client.ts';

/**
 * Setup, not under test: a webhook channel of the caller's customer for `events` (answered
 * 201); its id and signing secret. The channel tests add channels through the API themselves.
 */
export async function addWebhookChannel(client: TestClient, as: Who, url: string, events: string[]) {
  const response = await client.post<{ id: string; secret: string }>(
    '/api/console/notification-channels',
    { type: 'webhook', url, events },
    { as },
  );
  expect(response.status, response.body).toBe(201);
  return response.json;
}
