import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach } from 'vitest';

/**
 * A stand-in for the cloud that answers from a script, for what the real API can't be made to
 * do on demand (miss its request deadline and answer 503). The CLI under test is the real process.
 */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
interface Sent {
  at: number;
  body: string;
}

export const UNAVAILABLE: Answer = {
  status: 503,
  body: { error: 'unavailable', message: 'The service is briefly unavailable; try again shortly.' },
  headers: { 'retry-after': '1' },
};

/** The body of a registration's success, by code (200 to a poll) or by key (201). */
export const registered = (status: 200 | 201): Answer => ({
  status,
  body: {
    status: 'registered',
    registrationId: randomUUID(),
    credential: 'secret-credential',
    customer: { id: randomUUID(), name: 'Fake Co' },
    registeredAt: new Date().toISOString(),
  },
});

let server: Server | undefined;
afterEach(() => server?.close());

/**
 * Answers each `"METHOD /path"` of `scripts` with its answers in turn (the last one again once
 * they run out), and anything else 404. `sent` records what each route was sent.
 */
export async function scriptedCloud(scripts: Record<string, Answer[]>) {
  const sent: Record<string, Sent[]> = Object.fromEntries(Object.keys(scripts).map((route) => [route, []]));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const route = `${req.method} ${req.url}`;
      const script = scripts[route];
      if (!script) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'not_found', message: 'No such route.' }));
      }
      const log = sent[route]!;
      log.push({ at: Date.now(), body });
      const answer = script[Math.min(log.length, script.length) - 1]!;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, sent };
}
