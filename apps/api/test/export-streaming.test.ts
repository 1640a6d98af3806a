import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertRegistrations, readCsv } from './helpers/csv.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';
import { startTestServer } from './helpers/server.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/**
 * Far more CSV than the socket buffers on both ends hold (about 13 MB: 650 bytes a row), so
 * a server that streams must stop reading the database while the client does not read.
 */
const ROWS = 20_000;

it('sends the first rows before it has read the last ones from the database (the export streams)', async () => {
  const { session } = await createSignedInAdmin(server.app, server.db);
  await insertRegistrations(server.db, session.customer.id, ROWS, { osPadding: ' '.repeat(400) });
  const response = await fetch(`${server.url}/api/console/registrations.csv`, { headers: session.headers });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  try {
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('id,serverName,')).toBe(true);
    chunks.push(first.value!);

    // While the client holds back, a server that sorts last joins the customer: it can only be
    // in the file if the export reads it from the database after the download began.
    await registerProduct(server.app, session, { serverName: 'zz-registered-during-the-download' });

    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  } finally {
    // A download left half read would hold the server's close (afterAll) for ever.
    await reader.cancel().catch(() => undefined);
  }
  const { rows } = readCsv(Buffer.concat(chunks).toString('utf8'));
  expect(rows).toHaveLength(ROWS + 1);
  expect(rows.at(-1)!.serverName).toBe('zz-registered-during-the-download');
});
