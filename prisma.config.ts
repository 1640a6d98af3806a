import { defineConfig } from 'prisma/config';

// Prisma's CLI is used here only for `prisma generate`; migrations are applied by
// packages/db/src/migrator.ts (see docs/decisions/002-own-migrator.md).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
