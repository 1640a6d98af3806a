import { z } from 'zod';

/** Days of silence after which the sweep removes a registration; null turns the policy off. */
export const STALE_REMOVAL_DAYS = { min: 7, max: 365 } as const;

const ZStaleRemovalDays = z
  .number()
  .int('must be a whole number of days')
  .min(STALE_REMOVAL_DAYS.min, `must be at least ${STALE_REMOVAL_DAYS.min}`)
  .max(STALE_REMOVAL_DAYS.max, `must be at most ${STALE_REMOVAL_DAYS.max}`)
  .nullable();

export const ZCustomerSettings = z.strictObject({
  staleRemovalDays: ZStaleRemovalDays,
  /** Every administrator's password sessions need two-step verification. */
  requireMfa: z.boolean(),
});
export type TCustomerSettings = z.infer<typeof ZCustomerSettings>;

/** PUT /settings: either setting or both; one left out keeps its value. */
export const ZCustomerSettingsUpdate = z
  .strictObject({ staleRemovalDays: ZStaleRemovalDays.optional(), requireMfa: z.boolean().optional() })
  .refine((value) => value.staleRemovalDays !== undefined || value.requireMfa !== undefined, {
    message: 'give at least one setting',
  });
export type TCustomerSettingsUpdate = z.infer<typeof ZCustomerSettingsUpdate>;
