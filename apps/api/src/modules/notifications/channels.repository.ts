import type { TChannelType } from '@reg/contracts/notifications-api';
import type { Tx } from '../../lib/tx.ts';

export interface ChannelRow {
  id: string;
  type: TChannelType;
  url: string | null;
  address: string | null;
  events: string[];
  createdAt: Date;
  confirmedAt: Date | null;
  lastAt: Date | null;
  lastStatus: 'pending' | 'delivered' | 'failed' | 'muted' | null;
}

export function listChannels(tx: Tx, customerId: string) {
  return tx.$queryRaw<ChannelRow[]>`
    SELECT ch.id, ch.type, ch.url, ch.address, ch.events, ch.created_at AS "createdAt", ch.confirmed_at AS "confirmedAt",
           d.at AS "lastAt", d.status AS "lastStatus"
    FROM notification_channels ch
    LEFT JOIN LATERAL (
      SELECT at, status FROM notification_deliveries WHERE channel_id = ch.id ORDER BY at DESC, id DESC LIMIT 1
    ) d ON true
    WHERE ch.customer_id = ${customerId}::uuid
    ORDER BY ch.created_at DESC, ch.id DESC`;
}

export function createChannel(
  tx: Tx,
  data: {
    customerId: string;
    type: TChannelType;
    url?: string;
    address?: string;
    events: string[];
    secret?: string;
    createdAt: Date;
    /** A webhook, Slack or Teams channel is confirmed at once; an email address when someone at it follows the link. */
    confirmedAt: Date | null;
  },
) {
  return tx.notificationChannel.create({ data });
}

export function findChannel(tx: Tx, customerId: string, id: string) {
  return tx.notificationChannel.findFirst({ where: { id, customerId } });
}

/** The channel's row locked for the transaction: test sends on one channel take turns. */
export async function lockChannel(tx: Tx, customerId: string, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM notification_channels WHERE id = ${id}::uuid AND customer_id = ${customerId}::uuid FOR UPDATE`;
  return rows.length > 0;
}

export function deleteChannel(tx: Tx, id: string) {
  return tx.notificationChannel.delete({ where: { id } });
}

/** A new confirmation link for an unconfirmed channel (the previous one stops working). */
export function setConfirmToken(tx: Tx, id: string, tokenHash: string, expiresAt: Date) {
  return tx.notificationChannel.updateMany({
    where: { id, confirmedAt: null },
    data: { confirmTokenHash: tokenHash, confirmExpiresAt: expiresAt },
  });
}

/** Confirms the channel if the token is its live one; the token works once. True when it did. */
export async function confirmWithToken(tx: Tx, customerId: string, id: string, tokenHash: string, now: Date) {
  const { count } = await tx.notificationChannel.updateMany({
    where: { id, customerId, confirmedAt: null, confirmTokenHash: tokenHash, confirmExpiresAt: { gt: now } },
    data: { confirmedAt: now, confirmTokenHash: null, confirmExpiresAt: null },
  });
  return count === 1;
}
