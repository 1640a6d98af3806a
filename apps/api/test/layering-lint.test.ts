import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });
const rulesBroken = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => m.ruleId);
};

describe('the layering rules (eslint.config.js)', () => {
  it("refuses a module importing another module's repository, and allows its own", async () => {
    const file = 'apps/api/src/modules/audit/probe.ts';
    expect(await rulesBroken(`export { findSettings } from '../settings/settings.repository.ts';\n`, file)).toEqual([
      'no-restricted-imports',
    ]);
    expect(await rulesBroken(`export { listAuditEvents } from './audit.repository.ts';\n`, file)).toEqual([]);
  });

  it('refuses data access outside repositories, and allows it in them', async () => {
    const code = [
      `import type { Db } from '@reg/db/client';`,
      `import { poolOf } from '@reg/db/client';`,
      'export const probe = async (db: Db) => {',
      '  await db.$queryRaw`SELECT 1`;',
      '  await db.$executeRawUnsafe(`SELECT 1`);',
      '  await db.registration.findMany({});',
      '  await db.customer.count();',
      '  return poolOf(db);',
      '};',
      '',
    ].join('\n');
    expect(await rulesBroken(code, 'apps/api/src/modules/audit/audit.service.ts')).toEqual(
      Array(6).fill('no-restricted-syntax'),
    );
    expect(await rulesBroken(code, 'apps/api/src/lib/probe.ts')).toHaveLength(6);
    expect(await rulesBroken(code, 'apps/api/src/modules/audit/audit.repository.ts')).toEqual([]);
  });
});
