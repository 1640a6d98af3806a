import { z } from 'zod';
import { ZLicenseModel } from './usage-api.ts';

const ZDay = z.iso.date();

/** No parameters: an unknown one is 400. */
export const ZEntitlementsQuery = z.strictObject({});

export const ENTITLEMENT_STATES = ['expired', 'insufficient', 'expiring', 'ok'] as const;
export const ZEntitlementState = z.enum(ENTITLEMENT_STATES);
export type TEntitlementState = z.infer<typeof ZEntitlementState>;

export const ZMaintenanceState = z.enum(['ended', 'ending', 'ok']);
export type TMaintenanceState = z.infer<typeof ZMaintenanceState>;

/** One product key held by at least one of the customer's servers (docs/protocol.md, Entitlements). */
export const ZEntitlement = z.object({
  productCode: z.string(),
  edition: z.string(),
  licenseModel: ZLicenseModel,
  installed: z.number().int(),
  inUse: z.number().int(),
  peakInUse30d: z.number().int(),
  expiresAt: ZDay.nullable(),
  daysLeft: z.number().int().nullable(),
  maintenanceEndsAt: ZDay.nullable(),
  maintenanceState: ZMaintenanceState.nullable(),
  servers: z.number().int(),
  insufficientServers: z.number().int(),
  state: ZEntitlementState,
});
export type TEntitlement = z.infer<typeof ZEntitlement>;

export const ZEntitlements = z.object({
  asOf: ZDay,
  warningDays: z.number().int(),
  items: z.array(ZEntitlement),
});
export type TEntitlements = z.infer<typeof ZEntitlements>;
