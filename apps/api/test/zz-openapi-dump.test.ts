import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { createTestApp } from './helpers/app.ts';

test('dump openapi', async () => {
  const t = await createTestApp();
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  writeFileSync(process.env.OPENAPI_OUT ?? '/tmp/openapi.json', res.body);
  await t.app.close();
});
