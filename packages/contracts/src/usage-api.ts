import { z } from 'zod';
import { ZTimestamp, ZUuid, nonEmptyText, text } from './common.ts';
import { ZProductVersion } from './product-api.ts';

export const MAX_RECORDS_PER_REPORT = 5_000;
export const MAX_COUNT = 10_000_000;
const count = z.number().int().min(0).max(MAX_COUNT);

export const LICENSE_MODELS = ['user-device', 'concurrent'] as const;
export const ZLicenseModel = z.enum(LICENSE_MODELS);
export type TLicenseModel = z.infer<typeof ZLicenseModel>;

export const ZUsageRecord = z
  .strictObject({
    periodStart: ZTimestamp,
    periodEnd: ZTimestamp,
    productCode: nonEmptyText(64),
    edition: nonEmptyText(64),
    licenseModel: ZLicenseModel,
    installed: count,
    inUse: count,
    peakInUse: count,
  })
  .refine((r) => Date.parse(r.periodStart) < Date.parse(r.periodEnd), {
    message: 'periodStart must be before periodEnd',
    path: ['periodEnd'],
  });
export type TUsageRecord = z.infer<typeof ZUsageRecord>;

/** The time window checks (last 400 days, at most a day ahead) need "now": the service does them. */
export const ZUsageReport = z.strictObject({
  reportId: ZUuid,
  collectedAt: ZTimestamp,
  server: z.strictObject({ productVersion: ZProductVersion }),
  records: z.array(ZUsageRecord).min(1).max(MAX_RECORDS_PER_REPORT),
});
export type TUsageReport = z.infer<typeof ZUsageReport>;

export const ZUsageAccepted = z.object({
  reportId: ZUuid,
  accepted: z.number().int(),
  duplicate: z.boolean(),
});
export type TUsageAccepted = z.infer<typeof ZUsageAccepted>;

export const ZLatestUsage = z.object({
  productCode: z.string(),
  edition: z.string(),
  licenseModel: ZLicenseModel,
  installed: z.number().int(),
  inUse: z.number().int(),
  periodStart: ZTimestamp,
});

export const ZLicenseServer = z.object({
  id: ZUuid,
  serverName: z.string(),
  hostname: z.string(),
  instanceId: ZUuid,
  registration: z.object({ id: ZUuid, status: z.enum(['reporting', 'not-reporting', 'never-contacted']) }).nullable(),
  lastUploadAt: ZTimestamp.nullable(),
  latest: z.array(ZLatestUsage),
});
export type TLicenseServer = z.infer<typeof ZLicenseServer>;

export const ZListLicenseServersQuery = z.strictObject({
  query: text(255).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListLicenseServersQuery = z.input<typeof ZListLicenseServersQuery>;

export const ZLicenseServerList = z.object({ items: z.array(ZLicenseServer), nextCursor: z.string().nullable() });
export type TLicenseServerList = z.infer<typeof ZLicenseServerList>;

const ZDay = z.iso.date();
export const ZUsageQuery = z.strictObject({ from: ZDay.optional(), to: ZDay.optional() });
export type TUsageQuery = z.infer<typeof ZUsageQuery>;
/** The usage CSV takes the usage read's range and granularity (daily points for now). */
export const ZUsageCsvQuery = ZUsageQuery.extend({ granularity: z.enum(['day']).default('day') });

export const ZUsageSeries = z.object({
  series: z.array(
    z.object({
      productCode: z.string(),
      edition: z.string(),
      licenseModel: ZLicenseModel,
      points: z.array(
        z.object({ day: ZDay, installed: z.number().int(), inUse: z.number().int(), peakInUse: z.number().int() }),
      ),
    }),
  ),
});
export type TUsageSeries = z.infer<typeof ZUsageSeries>;

/** Both acknowledgements are checked by the service so that a missing one gets its own error code. */
export const ZDeleteUsageRequest = z.strictObject({
  acknowledgePermanent: z.boolean().optional(),
  acknowledgeCollectionContinues: z.boolean().optional(),
});
export type TDeleteUsageRequest = z.infer<typeof ZDeleteUsageRequest>;

export const ZDeleteUsageResponse = z.object({ deletedRecords: z.number().int() });
export type TDeleteUsageResponse = z.infer<typeof ZDeleteUsageResponse>;
