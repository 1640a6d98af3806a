import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';

/**
 * Delete data works through a server's records in 3-day steps while that server keeps
 * uploading. Report ids outlive the delete by contract (a retry answers duplicate), so a report
 * left with part of its records could never be completed: after the delete, every report of
 * the server must have all its records or none, and a report accepted while the delete ran
 * must be whole. Long reports (300 daily records: 100 steps each) and many rounds.
 */
const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const BOTH = { acknowledgePermanent: true, acknowledgeCollectionContinues: true };
const ROUNDS = 4;

describe('Delete data during uploads', () => {
  it('leaves every report whole or entirely gone, and keeps whole every report accepted meanwhile', async () => {
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const serverId = (await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } }))
      .licenseServerId;
    const longReport = () => usageReport(t.clock.now(), { days: 300 });
    let acceptedDuring = 0;
    let partial = 0;

    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < 3; i++) expect((await sendUsage(t.client, product, longReport())).status).toBe(202);
      let deleting = true;
      const deleted = t.client
        .delete(`/api/console/license-servers/${serverId}/usage`, BOTH, { as: session })
        .finally(() => (deleting = false));
      // Uploads of long reports, back to back from two senders, for as long as the delete runs.
      const sent: { reportId: string; status: number; whileDeleting: boolean }[] = [];
      await Promise.all(
        [0, 1].map(async () => {
          while (deleting) {
            const report = longReport();
            const response = await sendUsage(t.client, product, report);
            sent.push({ reportId: report.reportId, status: response.status, whileDeleting: deleting });
          }
        }),
      );
      expect((await deleted).status).toBe(200);
      expect(sent.every((s) => s.status === 202)).toBe(true);

      const reports = await t.db.$queryRaw<{ report_id: string; record_count: number; stored: number }[]>`
        SELECT r.report_id, r.record_count, count(u.usage_report_id)::int AS stored
        FROM usage_reports r
        LEFT JOIN usage_records u ON u.license_server_id = r.license_server_id AND u.usage_report_id = r.id
        WHERE r.license_server_id = ${serverId}::uuid
        GROUP BY r.report_id, r.record_count`;
      const broken = reports.filter((r) => r.stored !== 0 && r.stored !== r.record_count);
      partial += broken.length;
      expect(broken.map((r) => `${r.report_id}: ${r.stored} of ${r.record_count}`)).toEqual([]);
      // Uploads answered while the delete still ran were not held up by it, and kept whole
      // (those that committed before its start may be gone, whole).
      const byId = new Map(reports.map((r) => [r.report_id, r]));
      acceptedDuring += sent.filter((s) => s.whileDeleting && byId.get(s.reportId)?.stored === 300).length;
    }
    expect(partial).toBe(0);
    // The test raced at all: uploads were accepted while deletes ran, and were kept.
    expect(acceptedDuring).toBeGreaterThan(0);
  }, 180_000);
});
