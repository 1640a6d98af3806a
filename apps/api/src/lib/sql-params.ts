/**
 * Named parameters for a statement sent as text with $n placeholders (node-postgres, or
 * Prisma's $queryRawUnsafe): `p.name` is the placeholder of `name`, `values({...})` lists the
 * values in placeholder order. The text is built once, so a named (prepared) statement stays
 * one statement; a reader sees `${p.customer}::uuid`, never a number to look up.
 */
export function sqlParams<const Name extends string>(...names: Name[]) {
  const p = Object.fromEntries(names.map((name, i) => [name, `$${i + 1}`])) as { readonly [N in Name]: string };
  const values = (byName: { readonly [N in Name]: unknown }): unknown[] => names.map((name) => byName[name]);
  return { p, values };
}
