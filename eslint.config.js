import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The API's layering (docs/design.md, "Layers"), enforced: modules meet through services wired
 * in services.ts, and only repositories (and packages/db) touch the database.
 */
const OTHER_MODULES_REPOSITORY = {
  // From apps/api/src/modules/<m>/: "../<other>/<other>.repository.ts". A module's own is "./…".
  regex: String.raw`^\.\./[^./][^/]*/[^/]+\.repository(\.ts)?$`,
  message:
    "Modules meet through services: take the other module's service as a dependency (wired in services.ts), never its repository.",
};
const ANY_MODULE_REPOSITORY = {
  regex: String.raw`(^|/)modules/[^/]+/[^/]+\.repository(\.ts)?$`,
  message: "Call the module's service (from services.ts), never its repository.",
};

const RAW_SQL = String.raw`/^\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/`;
// Prisma model delegates: `db.registration.findMany(…)`, `tx.auditEvent.create(…)`.
const DELEGATE_METHODS = String.raw`/^(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|createMany|createManyAndReturn|updateMany|updateManyAndReturn|deleteMany|upsert|aggregate|groupBy)$/`;
const SHORT_DELEGATE_METHODS = String.raw`/^(create|update|delete|count)$/`;
const DATA_ACCESS = 'Data access lives in *.repository.ts files (docs/design.md, "Layers"): move this query there.';
const dataAccessOutsideRepositories = [
  { selector: `MemberExpression[property.name=${RAW_SQL}]`, message: DATA_ACCESS },
  {
    selector: `CallExpression[callee.type='MemberExpression'][callee.object.type='MemberExpression'][callee.property.name=${DELEGATE_METHODS}]`,
    message: DATA_ACCESS,
  },
  {
    selector: `CallExpression[callee.object.object.name=/^(db|tx|prisma)$/][callee.property.name=${SHORT_DELEGATE_METHODS}]`,
    message: DATA_ACCESS,
  },
  { selector: `CallExpression[callee.name='poolOf']`, message: DATA_ACCESS },
  {
    selector: `ImportDeclaration[source.value='@reg/db/client'][importKind!='type'] > ImportSpecifier[importKind!='type']`,
    message: `Only types come from @reg/db/client outside repositories. ${DATA_ACCESS}`,
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['apps/api/src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [OTHER_MODULES_REPOSITORY] }],
    },
  },
  {
    files: ['apps/api/src/*.ts', 'apps/api/src/lib/**/*.ts', 'apps/api/src/plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ANY_MODULE_REPOSITORY] }],
    },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/**/*.repository.ts',
      // Tests may set up and inspect data directly.
      'apps/api/src/**/*.test.ts',
      // The database client is made here.
      'apps/api/src/database.ts',
      // The adapter from a Prisma client to the Query that repositories run statements with.
      'apps/api/src/lib/query.ts',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...dataAccessOutsideRepositories],
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
);
