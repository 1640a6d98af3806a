import type { Tx } from './tx.ts';

/** The stored value of a secret, `generated` stored first when there is none yet. */
export async function storedSecretOr(tx: Tx, name: string, generated: string): Promise<string> {
  // Insert-if-absent then read: two instances starting together end up with the same value.
  await tx.appSecret.createMany({ data: [{ name, value: generated }], skipDuplicates: true });
  const row = await tx.appSecret.findUniqueOrThrow({ where: { name } });
  return row.value;
}
