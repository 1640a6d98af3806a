import { z } from 'zod';
import { ZTimestamp, ZUuid, isoBefore, text } from './common.ts';

/** Longest maintenance window, from `from` to `to`. */
export const MUTE_MAX_DAYS = 366;
export const MUTE_REASON_MAX = 500;

export const ZMuteScope = z.union(
  [z.strictObject({ registrationId: ZUuid }), z.strictObject({ all: z.literal(true) })],
  { error: 'must be {"registrationId": "<uuid>"} or {"all": true}' },
);
export type TMuteScope = z.infer<typeof ZMuteScope>;

/** "to in the future" needs now: the service checks it. */
export const ZCreateMuteRequest = z
  .strictObject({
    scope: ZMuteScope,
    from: ZTimestamp,
    to: ZTimestamp,
    reason: text(MUTE_REASON_MAX).refine((v) => v.trim().length > 0, 'must not be empty'),
  })
  .refine((m) => isoBefore(m.from, m.to), { message: 'must be after "from"', path: ['to'] })
  .refine((m) => Date.parse(m.to) - Date.parse(m.from) <= MUTE_MAX_DAYS * 86_400_000, {
    message: `must be at most ${MUTE_MAX_DAYS} days after "from"`,
    path: ['to'],
  });
export type TCreateMuteRequest = z.input<typeof ZCreateMuteRequest>;

export const ZMute = z.object({
  id: ZUuid,
  scope: ZMuteScope,
  /** The registration's server name; null for all servers. */
  serverName: z.string().nullable(),
  from: ZTimestamp,
  to: ZTimestamp,
  reason: z.string(),
  /** from ≤ now < to */
  active: z.boolean(),
  createdAt: ZTimestamp,
  createdBy: z.object({ id: ZUuid, email: z.string() }),
});
export type TMute = z.infer<typeof ZMute>;

export const ZMuteList = z.object({ items: z.array(ZMute) });
export type TMuteList = z.infer<typeof ZMuteList>;
