import { z } from 'zod';
import { ZTimestamp, ZUuid, isoBefore, nonEmptyText, text } from './common.ts';
import { ZProductVersion } from './product-api.ts';
import { ZTag } from './registration-keys-api.ts';

export const MAX_RECORDS_PER_REPORT = 5_000;
export const MAX_COUNT = 10_000_000;
const count = z.number().int().min(0).max(MAX_COUNT);

/**
 * A calendar day (`YYYY-MM-DD`, UTC) from 2000-01-01 to 2199-12-31: a license's expiry or the
 * end of its maintenance. A timestamp is refused, so nobody wonders which time zone it meant.
 */
export const ZLicenseDay = z
  .string()
  .max(10, 'must be a day: YYYY-MM-DD')
  .pipe(z.iso.date('must be a day: YYYY-MM-DD'))
  .refine((day) => day >= '2000-01-01' && day <= '2199-12-31', 'must be from 2000-01-01 to 2199-12-31');

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
    /** The first day these licenses no longer work; null or left out: permanent, or not known. */
    expiresAt: ZLicenseDay.nullish(),
    /** The first day no longer covered by Customer Success Services; null or left out: none known. */
    maintenanceEndsAt: ZLicenseDay.nullish(),
  })
  .refine((r) => isoBefore(r.periodStart, r.periodEnd), {
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
  /** Any product key's latest daily point with inUse above installed. */
  overdraft: z.boolean(),
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
/** Days apart `from` and `to` may be at most, and points per product key a series may hold. */
export const MAX_RANGE_DAYS = 400;
export const MAX_POINTS_PER_KEY = 400;
export const GRANULARITIES = ['day', 'month'] as const;
export const ZGranularity = z.enum(GRANULARITIES);
export type TGranularity = z.infer<typeof ZGranularity>;

export const ZUsageQuery = z.strictObject({
  from: ZDay.optional(),
  to: ZDay.optional(),
  granularity: ZGranularity.default('day'),
});
export type TUsageQuery = z.input<typeof ZUsageQuery>;

/** The overview's query: the range, and optionally one tag (only the servers whose active registration carries it). */
export const ZUsageOverviewQuery = z.strictObject({ ...ZUsageQuery.shape, tag: ZTag.optional() });
export type TUsageOverviewQuery = z.input<typeof ZUsageOverviewQuery>;

const ZProductKey = { productCode: z.string(), edition: z.string(), licenseModel: ZLicenseModel };

/**
 * `day` is the first day of the point's period (a day, or a month). A period without a report
 * of the key has every value null (no report is not zero use); `late` is true when the period's
 * first record reached the cloud more than 24 hours after its day ended (a month: any day).
 */
export const ZUsagePoint = z.object({
  day: ZDay,
  installed: z.number().int().nullable(),
  inUse: z.number().int().nullable(),
  peakInUse: z.number().int().nullable(),
  late: z.boolean().nullable(),
});
export type TUsagePoint = z.infer<typeof ZUsagePoint>;

export const ZUsageSeriesItem = z.object({ ...ZProductKey, points: z.array(ZUsagePoint) });

/** Per product key over the range, from daily points (summed over servers in the overview). */
export const ZUsageSummaryItem = z.object({
  ...ZProductKey,
  installed: z.number().int(),
  inUse: z.number().int(),
  peakInUse: z.number().int(),
  peakDay: ZDay,
  peakThisMonth: z.number().int().nullable(),
  peakAllTime: z.number().int(),
  utilization: z.number().nullable(),
  overdraft: z.boolean(),
});
export type TUsageSummaryItem = z.infer<typeof ZUsageSummaryItem>;

export const ZUsageSeries = z.object({
  from: ZDay,
  to: ZDay,
  granularity: ZGranularity,
  series: z.array(ZUsageSeriesItem),
  summary: z.array(ZUsageSummaryItem),
});
export type TUsageSeries = z.infer<typeof ZUsageSeries>;

export const ZServerCounts = z.object({
  total: z.number().int(),
  reporting: z.number().int(),
  notReporting: z.number().int(),
  neverContacted: z.number().int(),
});
/** Per day: the servers registered at some moment of it (or with a record for it), and of those how many reported. */
export const ZCoverageDay = z.object({ day: ZDay, registered: z.number().int(), reported: z.number().int() });
export type TCoverageDay = z.infer<typeof ZCoverageDay>;
export const ZUsageOverview = ZUsageSeries.extend({ servers: ZServerCounts, coverage: z.array(ZCoverageDay) });
export type TUsageOverview = z.infer<typeof ZUsageOverview>;

/** Both acknowledgements are checked by the service so that a missing one gets its own error code. */
export const ZDeleteUsageRequest = z.strictObject({
  acknowledgePermanent: z.boolean().optional(),
  acknowledgeCollectionContinues: z.boolean().optional(),
});
export type TDeleteUsageRequest = z.infer<typeof ZDeleteUsageRequest>;

export const ZDeleteUsageResponse = z.object({ deletedRecords: z.number().int() });
export type TDeleteUsageResponse = z.infer<typeof ZDeleteUsageResponse>;
