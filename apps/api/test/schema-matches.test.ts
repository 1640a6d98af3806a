/**
 * The migrated database matches prisma/schema.prisma: the SQL migrations are written by hand,
 * so this is what tells us they and the schema (hence the generated Prisma client) agree.
 * For every model: the table, each column's type, nullability and default, the primary key,
 * unique and plain indexes, foreign keys with their actions, and nothing undeclared (extra
 * columns, indexes, constraints, tables or enum types) unless prisma/SQL-ONLY.md lists it.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from './helpers/database.ts';
import {
  columnFields,
  parsePrismaSchema,
  type DefaultValue,
  type IndexSpec,
  type PrismaEnum,
  type PrismaField,
  type PrismaModel,
  type PrismaSchema,
  type ReferentialAction,
} from './helpers/prisma-schema.ts';

const SCHEMA_SOURCE = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');
const SQL_ONLY_SOURCE = readFileSync(new URL('../../../prisma/SQL-ONLY.md', import.meta.url), 'utf8');
const schema = parsePrismaSchema(SCHEMA_SOURCE);
const sqlOnly = parseSqlOnlyObjects(SQL_ONLY_SOURCE);

// ---------------------------------------------------------------------------------------
// What PostgreSQL has

interface Column {
  name: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  default: string | null;
  /** ALWAYS or BY DEFAULT for identity columns, else null. */
  identity: string | null;
  datetimePrecision: number | null;
  characterLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
}

interface Index {
  name: string;
  table: string;
  columns: (string | null)[];
  descending: boolean[];
  unique: boolean;
  primary: boolean;
  partial: boolean;
  /** A partial index's WHERE, as PostgreSQL prints it: `(registration_id IS NOT NULL)`. */
  predicate: string | null;
  hasExpressions: boolean;
  hasIncludedColumns: boolean;
  method: string;
}

interface Constraint {
  name: string;
  table: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion, t trigger (n not-null: dropped). */
  type: string;
  columns: string[];
  foreignTable: string | null;
  foreignColumns: string[];
  onDelete: string;
  onUpdate: string;
}

interface Catalog {
  /** Table name → relkind (r table, p partitioned table). */
  tables: Map<string, string>;
  columns: Map<string, Map<string, Column>>;
  indexes: Index[];
  constraints: Constraint[];
  /** Enum type name → labels in order. */
  enums: Map<string, string[]>;
  /** Every named object in the public schema: relations, constraints, triggers, functions, types. */
  names: Set<string>;
}

async function loadCatalog(client: pg.Client): Promise<Catalog> {
  const tables = await client.query<{ name: string; kind: string }>(`
    SELECT c.relname AS name, c.relkind::text AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`);
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
    identity_generation: string | null;
    datetime_precision: number | null;
    character_maximum_length: number | null;
    numeric_precision: number | null;
    numeric_scale: number | null;
  }>(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
           CASE WHEN is_identity = 'YES' THEN identity_generation END AS identity_generation,
           datetime_precision, character_maximum_length, numeric_precision, numeric_scale
    FROM information_schema.columns WHERE table_schema = 'public'`);
  const indexes = await client.query<{
    name: string;
    table: string;
    columns: (string | null)[];
    options: number[];
    key_count: number;
    column_count: number;
    unique: boolean;
    primary: boolean;
    partial: boolean;
    predicate: string | null;
    has_expressions: boolean;
    method: string;
  }>(`
    SELECT i.relname AS name, t.relname AS table,
           array(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                 ORDER BY k.ord)::text[] AS columns,
           x.indoption::int2[] AS options, x.indnkeyatts AS key_count, x.indnatts AS column_count,
           x.indisunique AS unique, x.indisprimary AS primary,
           x.indpred IS NOT NULL AS partial,
           pg_get_expr(x.indpred, x.indrelid) AS predicate, x.indexprs IS NOT NULL AS has_expressions, am.amname AS method
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = i.relam
    WHERE n.nspname = 'public'`);
  const constraints = await client.query<{
    name: string;
    table: string;
    type: string;
    columns: string[];
    foreign_table: string | null;
    foreign_columns: string[];
    on_delete: string;
    on_update: string;
  }>(`
    SELECT c.conname AS name, t.relname AS table, c.contype::text AS type,
           array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord)::text[] AS columns,
           f.relname AS foreign_table,
           array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                 ORDER BY k.ord)::text[] AS foreign_columns,
           c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_class f ON f.oid = c.confrelid
    WHERE n.nspname = 'public' AND c.contype <> 'n'`);
  const enums = await client.query<{ name: string; labels: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  const names = await client.query<{ name: string }>(`
    SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
    UNION SELECT c.conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
    UNION SELECT g.tgname::text FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND NOT g.tgisinternal
    UNION SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    UNION SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`);

  const byTable = new Map<string, Map<string, Column>>();
  for (const row of columns.rows) {
    let table = byTable.get(row.table_name);
    if (!table) byTable.set(row.table_name, (table = new Map()));
    table.set(row.column_name, {
      name: row.column_name,
      dataType: row.data_type,
      udtName: row.udt_name,
      nullable: row.is_nullable === 'YES',
      default: row.column_default,
      identity: row.identity_generation,
      datetimePrecision: row.datetime_precision,
      characterLength: row.character_maximum_length,
      numericPrecision: row.numeric_precision,
      numericScale: row.numeric_scale,
    });
  }
  return {
    tables: new Map(tables.rows.map((row) => [row.name, row.kind])),
    columns: byTable,
    indexes: indexes.rows.map((row) => ({
      name: row.name,
      table: row.table,
      columns: row.columns.slice(0, row.key_count),
      // indoption bit 0 is DESC.
      descending: row.options.slice(0, row.key_count).map((option) => (option & 1) === 1),
      unique: row.unique,
      primary: row.primary,
      partial: row.partial,
      predicate: row.predicate,
      hasExpressions: row.has_expressions,
      hasIncludedColumns: row.column_count > row.key_count,
      method: row.method,
    })),
    constraints: constraints.rows.map((row) => ({
      name: row.name,
      table: row.table,
      type: row.type,
      columns: row.columns,
      foreignTable: row.foreign_table,
      foreignColumns: row.foreign_columns,
      onDelete: row.on_delete,
      onUpdate: row.on_update,
    })),
    enums: new Map(enums.rows.map((row) => [row.name, row.labels])),
    names: new Set(names.rows.map((row) => row.name)),
  };
}

// ---------------------------------------------------------------------------------------
// prisma/SQL-ONLY.md

/**
 * The object names: the first `backticked` name in the first cell of each table row, without
 * a function's argument list (`ensure_usage_partitions(from_month, to_month)` → ensure_usage_partitions).
 */
function parseSqlOnlyObjects(markdown: string): string[] {
  const names: string[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    if (!line.trim().startsWith('|')) continue;
    const firstCell = line.trim().slice(1).split('|')[0]!;
    const name = /`([^`(]+)(\([^`]*\))?`/.exec(firstCell)?.[1];
    if (name) names.push(name.trim());
  }
  return names;
}

// ---------------------------------------------------------------------------------------
// Comparison: each difference is one message naming the model (and field)

/** What a Prisma field becomes in PostgreSQL, as `describeColumnType` writes it. */
function expectedColumnType(field: PrismaField, prisma: PrismaSchema): string {
  const native = field.nativeType;
  const arg = (index: number, fallback: string): string => native?.args[index] ?? fallback;
  let type: string;
  if (field.kind === 'enum') {
    type = `enum ${prisma.enums.find((e) => e.name === field.type)!.dbName}`;
  } else {
    const key = `${field.type} @db.${native?.name ?? '-'}`;
    switch (key) {
      case 'String @db.-':
      case 'String @db.Text':
        type = 'text';
        break;
      case 'String @db.Uuid':
        type = 'uuid';
        break;
      case 'String @db.VarChar':
        type = native!.args.length > 0 ? `character varying(${arg(0, '')})` : 'character varying';
        break;
      case 'String @db.Char':
        type = `character(${arg(0, '1')})`;
        break;
      case 'String @db.Inet':
        type = 'inet';
        break;
      case 'Int @db.-':
      case 'Int @db.Integer':
        type = 'integer';
        break;
      case 'Int @db.SmallInt':
        type = 'smallint';
        break;
      case 'BigInt @db.-':
      case 'BigInt @db.BigInt':
        type = 'bigint';
        break;
      case 'Boolean @db.-':
        type = 'boolean';
        break;
      case 'Float @db.-':
      case 'Float @db.DoublePrecision':
        type = 'double precision';
        break;
      case 'Float @db.Real':
        type = 'real';
        break;
      case 'Decimal @db.-':
        type = 'numeric(65,30)'; // Prisma's default precision and scale
        break;
      case 'Decimal @db.Decimal':
        type = native!.args.length > 0 ? `numeric(${arg(0, '')},${arg(1, '0')})` : 'numeric';
        break;
      case 'DateTime @db.-':
        type = 'timestamp(3) without time zone';
        break;
      case 'DateTime @db.Timestamp':
        type = `timestamp(${arg(0, '6')}) without time zone`;
        break;
      case 'DateTime @db.Timestamptz':
        type = `timestamp(${arg(0, '6')}) with time zone`;
        break;
      case 'DateTime @db.Date':
        type = 'date';
        break;
      case 'Json @db.-':
      case 'Json @db.JsonB':
        type = 'jsonb';
        break;
      case 'Json @db.Json':
        type = 'json';
        break;
      case 'Bytes @db.-':
        type = 'bytea';
        break;
      default:
        return `(this test does not know ${key}; extend expectedColumnType)`;
    }
  }
  return field.list ? `${type}[]` : type;
}

const SQL_TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  bpchar: 'character',
};

function describeColumnType(column: Column, catalog: Catalog): string {
  if (column.dataType === 'ARRAY') {
    const base = column.udtName.replace(/^_/, '');
    return `${catalog.enums.has(base) ? `enum ${base}` : (SQL_TYPE_NAMES[base] ?? base)}[]`;
  }
  if (column.dataType === 'USER-DEFINED') {
    return catalog.enums.has(column.udtName) ? `enum ${column.udtName}` : `user-defined ${column.udtName}`;
  }
  const udt = column.udtName;
  if (udt === 'timestamptz') return `timestamp(${column.datetimePrecision}) with time zone`;
  if (udt === 'timestamp') return `timestamp(${column.datetimePrecision}) without time zone`;
  if ((udt === 'varchar' || udt === 'bpchar') && column.characterLength !== null) {
    return `${SQL_TYPE_NAMES[udt]}(${column.characterLength})`;
  }
  if (udt === 'numeric' && column.numericPrecision !== null)
    return `numeric(${column.numericPrecision},${column.numericScale})`;
  return SQL_TYPE_NAMES[udt] ?? udt;
}

/** Whether the column's DEFAULT is what the field's @default makes (Prisma-side defaults make none). */
function defaultDifference(field: PrismaField, column: Column): string | undefined {
  const actual = column.default;
  const expected = field.default;
  const shown = column.identity
    ? `GENERATED ${column.identity} AS IDENTITY`
    : actual === null
      ? 'no default'
      : `DEFAULT ${actual}`;
  if (column.identity && expected?.kind === 'function' && expected.name === 'autoincrement') {
    // Like serial, GENERATED BY DEFAULT AS IDENTITY takes its values from a sequence and still
    // accepts explicit ones; ALWAYS would refuse them, which Prisma's autoincrement() allows.
    return column.identity === 'BY DEFAULT'
      ? undefined
      : `is ${shown}, @default(autoincrement()) needs BY DEFAULT (or serial)`;
  }
  if (column.identity)
    return `is ${shown}, schema.prisma ${expected ? `says @default(${describeDefault(expected)})` : 'declares no @default'}`;
  if (!expected) return actual === null ? undefined : `has ${shown}, schema.prisma declares no @default`;
  if (expected.kind === 'empty-list') {
    return actual !== null && /^(ARRAY\[\]|'\{\}')::\w+\[\]$/.test(actual)
      ? undefined
      : `has ${shown}, @default([]) wants an empty array`;
  }
  if (expected.kind === 'function') {
    switch (expected.name) {
      case 'autoincrement':
        return actual?.startsWith('nextval(')
          ? undefined
          : `has ${shown}, @default(autoincrement()) wants nextval(...) or GENERATED BY DEFAULT AS IDENTITY`;
      case 'now':
        return actual === 'CURRENT_TIMESTAMP' || actual === 'now()'
          ? undefined
          : `has ${shown}, @default(now()) wants CURRENT_TIMESTAMP`;
      case 'dbgenerated':
        return actual !== null ? undefined : `has no default, @default(dbgenerated(${expected.args})) wants one`;
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        // Generated by the Prisma client, not by the database.
        return actual === null
          ? undefined
          : `has ${shown}, @default(${expected.name}()) is generated by Prisma, not the database`;
      default:
        return `@default(${expected.name}(${expected.args})) is not known to this test`;
    }
  }
  const literal = actual === null ? null : sqlLiteral(actual);
  const want = String(expected.value);
  const same =
    literal !== null &&
    (literal === want ||
      (expected.kind === 'number' && Number(literal) === expected.value) ||
      (field.type === 'Json' && jsonEqual(literal, want)));
  return same ? undefined : `has ${shown}, schema.prisma says @default(${describeDefault(expected)})`;
}

function describeDefault(value: DefaultValue): string {
  if (value.kind === 'function') return `${value.name}(${value.args})`;
  if (value.kind === 'empty-list') return '[]';
  return value.kind === 'string' ? JSON.stringify(value.value) : String(value.value);
}

/** `'pending'::code_status` → pending; `'{}'::jsonb` → {}; `(-1)` → -1; `true` → true. */
function sqlLiteral(expression: string): string | null {
  let text = expression.trim();
  for (;;) {
    const cast = /^([\s\S]*?)::[\w ."]+(\[\])?$/.exec(text);
    const parens = /^\(([\s\S]*)\)$/.exec(text);
    if (cast && !/^'[\s\S]*'$/.test(text)) text = cast[1]!.trim();
    else if (parens) text = parens[1]!.trim();
    else break;
  }
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return quoted[1]!.replaceAll("''", "'");
  return /^(-?\d+(\.\d+)?|true|false)$/.test(text) ? text : null;
}

function jsonEqual(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

const ACTION_CODES: Record<ReferentialAction, string> = {
  NoAction: 'a',
  Restrict: 'r',
  Cascade: 'c',
  SetNull: 'n',
  SetDefault: 'd',
};
const ACTION_SQL: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function list(names: readonly (string | null)[]): string {
  return `(${names.map((name) => name ?? '<expression>').join(', ')})`;
}

function sameList(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Every way the table of `model` differs from what schema.prisma declares; [] when none. */
function compareModel(
  model: PrismaModel,
  prisma: PrismaSchema,
  catalog: Catalog,
  sqlOnlyNames: readonly string[],
): string[] {
  const table = model.dbName;
  const columns = catalog.columns.get(table);
  if (!catalog.tables.has(table) || !columns) return [`${model.name}: table "${table}" does not exist`];
  const problems: string[] = [];
  const columnOf = (fieldName: string): string => model.fields.find((f) => f.name === fieldName)!.dbName;

  // Columns
  for (const field of columnFields(model)) {
    const where = `${model.name}.${field.name} (column ${table}.${field.dbName})`;
    const column = columns.get(field.dbName);
    if (!column) {
      problems.push(`${where}: column does not exist`);
      continue;
    }
    const expectedType = expectedColumnType(field, prisma);
    const actualType = describeColumnType(column, catalog);
    if (expectedType !== actualType)
      problems.push(`${where}: type is ${actualType}, schema.prisma says ${expectedType}`);
    // Prisma's scalar lists have no `?`; their nullability is not checked here.
    if (!field.list && column.nullable !== field.optional) {
      problems.push(
        `${where}: column is ${column.nullable ? 'NULL' : 'NOT NULL'}, schema.prisma says ${field.optional ? 'optional (?)' : 'required'}`,
      );
    }
    const defaultProblem = defaultDifference(field, column);
    if (defaultProblem) problems.push(`${where}: ${defaultProblem}`);
  }
  const declared = new Set(columnFields(model).map((field) => field.dbName));
  for (const name of columns.keys()) {
    if (!declared.has(name)) problems.push(`${model.name}: column ${table}.${name} is not in schema.prisma`);
  }

  // Primary key
  const primary = catalog.constraints.find((c) => c.table === table && c.type === 'p');
  const wantedPrimary = model.primaryKey?.fields.map((f) => columnOf(f.name)) ?? [];
  if (!sameList(primary?.columns ?? [], wantedPrimary)) {
    problems.push(
      `${model.name}: primary key is ${primary ? list(primary.columns) : 'missing'}, schema.prisma says ${model.primaryKey ? `${list(wantedPrimary)} (${model.primaryKey.source})` : 'none'}`,
    );
  }
  if (primary && model.primaryKey?.map !== undefined && primary.name !== model.primaryKey.map) {
    problems.push(
      `${model.name}: primary key is named ${primary.name}, schema.prisma says map: "${model.primaryKey.map}"`,
    );
  }

  // Unique and plain indexes
  const tableIndexes = catalog.indexes.filter((index) => index.table === table);
  const accounted = new Set<string>(tableIndexes.filter((index) => index.primary).map((index) => index.name));
  const checkIndex = (spec: IndexSpec, unique: boolean) => {
    const wanted = spec.fields.map((f) => columnOf(f.name));
    const descending = spec.fields.map((f) => f.sort === 'Desc');
    const method = (spec.type ?? 'BTree').toLowerCase();
    const kind = unique ? 'a unique index' : 'an index';
    const sameColumns = tableIndexes.filter((index) => !index.primary && sameList(index.columns, wanted));
    // A unique index on one column that leaves NULLs out enforces what @unique says (NULLs never
    // conflict) and costs nothing on rows without a value (registration_codes.registration_id).
    const leavesOutNullsOnly = (index: Index) =>
      unique && wanted.length === 1 && index.predicate === `(${wanted[0]} IS NOT NULL)`;
    const match = sameColumns.find(
      (index) =>
        index.unique === unique &&
        (!index.partial || leavesOutNullsOnly(index)) &&
        !index.hasExpressions &&
        !index.hasIncludedColumns &&
        index.method === method &&
        index.descending.every((desc, i) => desc === descending[i]) &&
        (spec.map === undefined || index.name === spec.map),
    );
    if (match) {
      accounted.add(match.name);
      return;
    }
    const near = sameColumns.map(
      (index) =>
        `${index.name} (${[
          index.unique ? 'unique' : 'not unique',
          index.partial ? 'partial' : '',
          index.method,
          index.descending.some(Boolean) ? 'with DESC' : '',
        ]
          .filter(Boolean)
          .join(', ')})`,
    );
    problems.push(
      `${model.name}: ${spec.source} wants ${kind} on ${table}${list(wanted)}${spec.map ? ` named ${spec.map}` : ''}; ` +
        (near.length > 0 ? `found only ${near.join(', ')}` : 'there is none'),
    );
  };
  for (const spec of model.uniques) checkIndex(spec, true);
  for (const spec of model.indexes) checkIndex(spec, false);
  for (const index of tableIndexes) {
    if (!accounted.has(index.name) && !sqlOnlyNames.includes(index.name)) {
      problems.push(
        `${model.name}: ${index.unique ? 'unique ' : ''}index ${index.name} on ${table}${list(index.columns)} is neither in schema.prisma nor in prisma/SQL-ONLY.md`,
      );
    }
  }

  // Foreign keys
  const foreignKeys = catalog.constraints.filter((c) => c.table === table && c.type === 'f');
  const matched = new Set<string>();
  for (const fk of model.foreignKeys) {
    const target = prisma.models.find((m) => m.name === fk.model)!;
    const wanted = fk.fields.map(columnOf);
    const wantedReferences = fk.references.map((name) => target.fields.find((f) => f.name === name)!.dbName);
    const where = `${model.name}.${fk.field} (@relation(fields: [${fk.fields.join(', ')}], references: [${fk.references.join(', ')}]))`;
    const constraint = foreignKeys.find(
      (c) =>
        sameList(c.columns, wanted) && c.foreignTable === target.dbName && sameList(c.foreignColumns, wantedReferences),
    );
    if (!constraint) {
      problems.push(`${where}: no foreign key ${table}${list(wanted)} → ${target.dbName}${list(wantedReferences)}`);
      continue;
    }
    matched.add(constraint.name);
    // Prisma's defaults: onDelete SetNull for optional relations, Restrict for required ones; onUpdate Cascade.
    const onDelete = fk.onDelete ?? (fk.optional ? 'SetNull' : 'Restrict');
    const onUpdate = fk.onUpdate ?? 'Cascade';
    if (constraint.onDelete !== ACTION_CODES[onDelete]) {
      problems.push(
        `${where}: foreign key ${constraint.name} is ON DELETE ${ACTION_SQL[constraint.onDelete]}, schema.prisma says onDelete: ${onDelete}`,
      );
    }
    if (constraint.onUpdate !== ACTION_CODES[onUpdate]) {
      problems.push(
        `${where}: foreign key ${constraint.name} is ON UPDATE ${ACTION_SQL[constraint.onUpdate]}, schema.prisma says onUpdate: ${onUpdate}`,
      );
    }
    if (fk.map !== undefined && constraint.name !== fk.map) {
      problems.push(`${where}: foreign key is named ${constraint.name}, schema.prisma says map: "${fk.map}"`);
    }
  }
  for (const constraint of foreignKeys) {
    if (!matched.has(constraint.name) && !sqlOnlyNames.includes(constraint.name)) {
      problems.push(
        `${model.name}: foreign key ${constraint.name} ${table}${list(constraint.columns)} → ${constraint.foreignTable}${list(constraint.foreignColumns)} is neither in schema.prisma nor in prisma/SQL-ONLY.md`,
      );
    }
  }

  // Other constraints (CHECK, EXCLUDE, constraint triggers): Prisma can't declare them.
  for (const constraint of catalog.constraints) {
    if (constraint.table !== table || ['p', 'u', 'f'].includes(constraint.type)) continue;
    if (!sqlOnlyNames.includes(constraint.name)) {
      problems.push(
        `${model.name}: constraint ${constraint.name} (contype ${constraint.type}) on ${table} is not listed in prisma/SQL-ONLY.md`,
      );
    }
  }
  return problems;
}

function compareEnum(e: PrismaEnum, catalog: Catalog): string[] {
  const labels = catalog.enums.get(e.dbName);
  if (!labels) return [`enum ${e.name}: type "${e.dbName}" does not exist`];
  if (!sameList(labels, e.values))
    return [`enum ${e.name}: type ${e.dbName} has labels ${list(labels)}, schema.prisma says ${list(e.values)}`];
  return [];
}

function findExtraEnumTypes(prisma: PrismaSchema, catalog: Catalog, sqlOnlyNames: readonly string[]): string[] {
  return [...catalog.enums.keys()]
    .filter((name) => !prisma.enums.some((e) => e.dbName === name) && !sqlOnlyNames.includes(name))
    .map((name) => `enum type ${name} is neither in schema.prisma nor in prisma/SQL-ONLY.md`);
}

function findExtraTables(prisma: PrismaSchema, catalog: Catalog, sqlOnlyNames: readonly string[]): string[] {
  const allowed = new Set(['_prisma_migrations', ...prisma.models.map((m) => m.dbName), ...sqlOnlyNames]);
  const partitioned = sqlOnlyNames.filter((name) => catalog.tables.get(name) === 'p');
  return [...catalog.tables.keys()]
    .filter((name) => !allowed.has(name) && !partitioned.some((parent) => name.startsWith(`${parent}_`)))
    .map((name) => `table ${name} is neither a model in schema.prisma nor in prisma/SQL-ONLY.md`);
}

function findMissingSqlOnly(sqlOnlyNames: readonly string[], catalog: Catalog): string[] {
  return sqlOnlyNames
    .filter((name) => !catalog.names.has(name))
    .map((name) => `prisma/SQL-ONLY.md lists ${name}, which the migrations do not create`);
}

/** Everything at once, for the checks that the comparison can fail. */
function compareAll(prisma: PrismaSchema, catalog: Catalog): string[] {
  return [
    ...prisma.models.flatMap((model) => compareModel(model, prisma, catalog, sqlOnly)),
    ...prisma.enums.flatMap((e) => compareEnum(e, catalog)),
    ...findExtraEnumTypes(prisma, catalog, sqlOnly),
    ...findExtraTables(prisma, catalog, sqlOnly),
    ...findMissingSqlOnly(sqlOnly, catalog),
  ];
}

// ---------------------------------------------------------------------------------------
// The parser

describe('parsePrismaSchema', () => {
  const parsed = parsePrismaSchema(`
    // a comment
    generator client {
      provider = "prisma-client"
    }

    enum Colour {
      red
      darkBlue @map("dark_blue") // trailing comment

      @@map("colour")
    }

    /// A doc comment.
    model Owner {
      id     String  @id @default(uuid()) @db.Uuid
      pets   Pet[]
    }

    model Pet {
      ownerId   String   @map("owner_id") @db.Uuid
      name      String
      /// Optional, with a URL in a string: "//" is not a comment there.
      nickname  String?  @default("a//b")
      colour    Colour   @default(red)
      meta      Json     @default("{}")
      born      DateTime @map("born_at") @db.Timestamptz(3)
      owner     Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)
      seq       BigInt   @unique @default(autoincrement())

      @@id([ownerId, name])
      @@unique([name, nickname], map: "pets_name_nick")
      @@index([ownerId, born(sort: Desc)])
      @@map("pets")
    }
  `);
  const pet = parsed.models.find((m) => m.name === 'Pet')!;
  const field = (name: string) => pet.fields.find((f) => f.name === name)!;

  it('reads @map and @db.X on a field', () => {
    expect(field('ownerId')).toMatchObject({
      dbName: 'owner_id',
      type: 'String',
      kind: 'scalar',
      optional: false,
      nativeType: { name: 'Uuid', args: [] },
    });
    expect(field('born')).toMatchObject({ dbName: 'born_at', nativeType: { name: 'Timestamptz', args: ['3'] } });
    expect(field('name')).toMatchObject({ dbName: 'name', nativeType: undefined });
  });

  it('reads optional fields and defaults, leaving // inside strings alone', () => {
    expect(field('nickname')).toMatchObject({ optional: true, default: { kind: 'string', value: 'a//b' } });
    expect(field('colour')).toMatchObject({ kind: 'enum', default: { kind: 'identifier', value: 'red' } });
    expect(field('meta').default).toEqual({ kind: 'string', value: '{}' });
    expect(field('seq').default).toEqual({ kind: 'function', name: 'autoincrement', args: '' });
  });

  it('keeps relation fields out of the columns and reads their foreign keys', () => {
    expect(columnFields(pet).map((f) => f.name)).toEqual([
      'ownerId',
      'name',
      'nickname',
      'colour',
      'meta',
      'born',
      'seq',
    ]);
    expect(columnFields(parsed.models.find((m) => m.name === 'Owner')!).map((f) => f.name)).toEqual(['id']);
    expect(pet.foreignKeys).toEqual([
      {
        field: 'owner',
        model: 'Owner',
        fields: ['ownerId'],
        references: ['id'],
        optional: false,
        onDelete: 'Cascade',
        onUpdate: undefined,
        map: undefined,
      },
    ]);
  });

  it('reads block attributes and enums', () => {
    expect(pet.dbName).toBe('pets');
    expect(pet.primaryKey?.fields.map((f) => f.name)).toEqual(['ownerId', 'name']);
    expect(pet.uniques.map((u) => [u.fields.map((f) => f.name), u.map])).toEqual([
      [['seq'], undefined],
      [['name', 'nickname'], 'pets_name_nick'],
    ]);
    expect(pet.indexes[0]?.fields).toEqual([
      { name: 'ownerId', sort: 'Asc' },
      { name: 'born', sort: 'Desc' },
    ]);
    expect(parsed.enums).toEqual([{ name: 'Colour', dbName: 'colour', values: ['red', 'dark_blue'] }]);
  });

  it('refuses what it cannot check rather than skipping it', () => {
    expect(() => parsePrismaSchema('model A {\n  id Int @id @ignore\n}')).toThrow(/unsupported attribute @ignore/);
    expect(() => parsePrismaSchema('model A {\n  id Int @id\n  @@fulltext([id])\n}')).toThrow(
      /unsupported attribute @@fulltext/,
    );
    expect(() => parsePrismaSchema('model A {\n  id Point @id\n}')).toThrow(/unknown type Point/);
    expect(() => parsePrismaSchema('view V {\n  id Int\n}')).toThrow(/expected a model, enum/);
  });

  it('reads prisma/SQL-ONLY.md object names', () => {
    expect(
      parseSqlOnlyObjects(
        '| object | why |\n| --- | --- |\n| `a_idx`: on (`x`) | because |\n| `b_table` | ok |\n| `make_parts(a, b)`: function | c |',
      ),
    ).toEqual(['a_idx', 'b_table', 'make_parts']);
    expect(sqlOnly.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------
// The migrated database

describe('the migrated database matches prisma/schema.prisma', () => {
  let client: pg.Client;
  let catalog: Catalog;
  let baseline: string[];

  beforeAll(async () => {
    const { url } = await testDatabase();
    client = new pg.Client({ connectionString: url });
    await client.connect();
    catalog = await loadCatalog(client);
    // Real mismatches, reported by the tests above; the drift tests look only at what they add.
    baseline = compareAll(schema, catalog);
  });
  afterAll(async () => {
    await client?.end();
  });

  it.each(schema.models.map((model) => [model.name, model] as const))('model %s', (_name, model) => {
    expect(compareModel(model, schema, catalog, sqlOnly)).toEqual([]);
  });

  it.each(schema.enums.map((e) => [e.name, e] as const))('enum %s', (_name, e) => {
    expect(compareEnum(e, catalog)).toEqual([]);
  });

  it('has no enum types beyond schema.prisma and prisma/SQL-ONLY.md', () => {
    expect(findExtraEnumTypes(schema, catalog, sqlOnly)).toEqual([]);
  });

  it('has no tables beyond the models, _prisma_migrations and prisma/SQL-ONLY.md', () => {
    expect(findExtraTables(schema, catalog, sqlOnly)).toEqual([]);
  });

  it('has every object prisma/SQL-ONLY.md lists', () => {
    expect(findMissingSqlOnly(sqlOnly, catalog)).toEqual([]);
  });

  // The comparison must be able to fail: drift on either side is reported, by model and field.

  it('reports a database that drifted from the schema', async () => {
    await client.query('BEGIN');
    let drifted: Catalog;
    try {
      await client.query(`
        ALTER TABLE customers ALTER COLUMN name DROP NOT NULL;
        ALTER TABLE registration_codes ALTER COLUMN interval TYPE bigint;
        ALTER TABLE sessions ALTER COLUMN created_at TYPE timestamptz(6);
        ALTER TABLE audit_events ADD COLUMN extra text;
        DROP INDEX admins_email_key;
        CREATE INDEX stray_idx ON registrations (os);
        ALTER TABLE sessions DROP CONSTRAINT sessions_admin_id_fkey;
        ALTER TABLE sessions ADD CONSTRAINT sessions_admin_id_fkey FOREIGN KEY (admin_id) REFERENCES admins(id) ON DELETE RESTRICT ON UPDATE CASCADE;
        ALTER TABLE attempt_failures ALTER COLUMN id DROP DEFAULT;
        ALTER TYPE code_status RENAME VALUE 'denied' TO 'refused';
        CREATE TABLE stray (id int);`);
      drifted = await loadCatalog(client);
    } finally {
      await client.query('ROLLBACK');
    }
    const problems = compareAll(schema, drifted).filter((problem) => !baseline.includes(problem));
    const expected = [
      'Customer.name (column customers.name): column is NULL, schema.prisma says required',
      'RegistrationCode.interval (column registration_codes.interval): type is bigint, schema.prisma says integer',
      'Session.createdAt (column sessions.created_at): type is timestamp(6) with time zone, schema.prisma says timestamp(3) with time zone',
      'AuditEvent: column audit_events.extra is not in schema.prisma',
      'Admin: @unique on email wants a unique index on admins(email); there is none',
      'Registration: index stray_idx on registrations(os) is neither in schema.prisma nor in prisma/SQL-ONLY.md',
      'Session.admin (@relation(fields: [adminId], references: [id])): foreign key sessions_admin_id_fkey is ON DELETE RESTRICT, schema.prisma says onDelete: Cascade',
      'AttemptFailure.id (column attempt_failures.id): has no default, @default(autoincrement()) wants nextval(...) or GENERATED BY DEFAULT AS IDENTITY',
      'enum CodeStatus: type code_status has labels (pending, registered, refused), schema.prisma says (pending, registered, denied)',
      'table stray is neither a model in schema.prisma nor in prisma/SQL-ONLY.md',
    ];
    expect([...problems].sort()).toEqual([...expected].sort());
    // And the rollback left the database as the migrations made it.
    expect(compareAll(schema, await loadCatalog(client))).toEqual(baseline);
  });

  it('reports a schema that drifted from the database', () => {
    const drifted = parsePrismaSchema(
      SCHEMA_SOURCE.replace(/^(\s+)name(\s+)String(\s*)$/m, '$1name$2String?$3')
        .replace(
          '@@index([expiresAt])\n  @@map("sessions")',
          '@@index([expiresAt])\n  @@index([csrfToken])\n  @@map("sessions")',
        )
        .replace('onDelete: SetNull)', 'onDelete: Cascade)')
        .replace('  details     Json     @default("{}")', '  details     Json     @default("[]")')
        .replace(
          '  removedAt       DateTime? @map("removed_at") @db.Timestamptz(3)',
          '  removedAt       DateTime? @map("removed_at")',
        ),
    );
    expect(
      compareAll(drifted, catalog)
        .filter((problem) => !baseline.includes(problem))
        .sort(),
    ).toEqual(
      [
        'Customer.name (column customers.name): column is NOT NULL, schema.prisma says optional (?)',
        'Session: @@index([csrfToken]) wants an index on sessions(csrf_token); there is none',
        'RegistrationCode.registration (@relation(fields: [registrationId], references: [id])): foreign key registration_codes_registration_id_fkey is ON DELETE SET NULL, schema.prisma says onDelete: Cascade',
        'AuditEvent.details (column audit_events.details): has DEFAULT \'{}\'::jsonb, schema.prisma says @default("[]")',
        'Registration.removedAt (column registrations.removed_at): type is timestamp(3) with time zone, schema.prisma says timestamp(3) without time zone',
      ].sort(),
    );
  });
});
