import { z } from 'zod';

/** Days of silence after which the sweep removes a registration; null turns the policy off. */
export const STALE_REMOVAL_DAYS = { min: 7, max: 365 } as const;

export const ZCustomerSettings = z.strictObject({
  staleRemovalDays: z
    .number()
    .int('must be a whole number of days')
    .min(STALE_REMOVAL_DAYS.min, `must be at least ${STALE_REMOVAL_DAYS.min}`)
    .max(STALE_REMOVAL_DAYS.max, `must be at most ${STALE_REMOVAL_DAYS.max}`)
    .nullable(),
});
export type TCustomerSettings = z.infer<typeof ZCustomerSettings>;
