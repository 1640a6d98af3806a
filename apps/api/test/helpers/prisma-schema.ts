/**
 * A small parser for the subset of Prisma's schema language that prisma/schema.prisma uses:
 * `model` and `enum` blocks (generator and datasource blocks are skipped), fields with
 * @id @unique @default @map @updatedAt @db.X @relation, block attributes @@map @@id @@unique
 * @@index, and `//` / `///` comments. Anything else throws, naming the line, so that
 * schema-matches.test.ts never silently skips something it cannot check: extend this file.
 */

export interface PrismaSchema {
  models: PrismaModel[];
  enums: PrismaEnum[];
}

export interface PrismaEnum {
  name: string;
  /** @@map, else the enum's name: the PostgreSQL type. */
  dbName: string;
  /** The labels in PostgreSQL, in order (a value's @map, else its name). */
  values: string[];
}

export interface PrismaModel {
  name: string;
  /** @@map, else the model's name: the table. */
  dbName: string;
  fields: PrismaField[];
  /** From @id or @@id. */
  primaryKey: IndexSpec | undefined;
  /** From @unique and @@unique. */
  uniques: IndexSpec[];
  /** From @@index. */
  indexes: IndexSpec[];
  /** From relation fields with @relation(fields: [...], references: [...]). */
  foreignKeys: ForeignKeySpec[];
}

export type FieldKind = 'scalar' | 'enum' | 'relation';

export interface PrismaField {
  name: string;
  /** @map, else the field's name: the column (meaningless for relation fields). */
  dbName: string;
  /** String, Int, ..., an enum's name or a model's name. */
  type: string;
  kind: FieldKind;
  optional: boolean;
  list: boolean;
  /** @db.Uuid → { name: 'Uuid', args: [] }; @db.Timestamptz(3) → { name: 'Timestamptz', args: ['3'] }. */
  nativeType: { name: string; args: string[] } | undefined;
  default: DefaultValue | undefined;
  updatedAt: boolean;
}

export type DefaultValue =
  | { kind: 'function'; name: string; args: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  /** An enum value, written bare: @default(pending). */
  | { kind: 'identifier'; value: string }
  /** A scalar list's empty default: @default([]). */
  | { kind: 'empty-list' };

export interface IndexSpec {
  /** How schema.prisma says it, for messages: `@unique on email`, `@@index([customerId, at])`. */
  source: string;
  fields: { name: string; sort: 'Asc' | 'Desc' }[];
  /** The `map:` argument: the index or constraint name, when given. */
  map: string | undefined;
  /** The `type:` argument of @@index (BTree, Hash, Gin...), when given. */
  type: string | undefined;
}

export type ReferentialAction = 'Cascade' | 'Restrict' | 'NoAction' | 'SetNull' | 'SetDefault';

export interface ForeignKeySpec {
  /** The relation field holding @relation. */
  field: string;
  /** The referenced model. */
  model: string;
  fields: string[];
  references: string[];
  optional: boolean;
  onDelete: ReferentialAction | undefined;
  onUpdate: ReferentialAction | undefined;
  map: string | undefined;
}

const SCALAR_TYPES = ['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes'];

const FIELD_ATTRIBUTES = ['id', 'unique', 'default', 'map', 'updatedAt', 'relation'];
const REFERENTIAL_ACTIONS: ReferentialAction[] = ['Cascade', 'Restrict', 'NoAction', 'SetNull', 'SetDefault'];

interface Attribute {
  name: string;
  /** What is between the parentheses, undefined without them. */
  args: string | undefined;
}

interface Arguments {
  positional: string[];
  named: Map<string, string>;
}

interface Block {
  keyword: string;
  name: string;
  /** Lines between the braces, comments removed, with their 1-based line numbers. */
  lines: { text: string; line: number }[];
}

export function parsePrismaSchema(source: string): PrismaSchema {
  const blocks = splitBlocks(source);
  const modelNames = new Set(blocks.filter((b) => b.keyword === 'model').map((b) => b.name));
  const enums = blocks.filter((b) => b.keyword === 'enum').map(parseEnum);
  const enumNames = new Set(enums.map((e) => e.name));
  const models = blocks.filter((b) => b.keyword === 'model').map((block) => parseModel(block, modelNames, enumNames));
  for (const model of models) checkRelations(model, models);
  return { models, enums };
}

/** The fields that are columns: scalars and enums, not relation fields. */
export function columnFields(model: PrismaModel): PrismaField[] {
  return model.fields.filter((field) => field.kind !== 'relation');
}

// ---------------------------------------------------------------------------------------
// Blocks and lines

function splitBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const text = stripComment(raw).trim();
    if (text === '') return;
    if (!current) {
      const open = /^(model|enum|generator|datasource)\s+(\w+)\s*\{$/.exec(text);
      if (!open)
        throw new Error(
          `schema.prisma line ${line}: expected a model, enum, generator or datasource block, got "${text}"`,
        );
      current = { keyword: open[1]!, name: open[2]!, lines: [] };
    } else if (text === '}') {
      blocks.push(current);
      current = undefined;
    } else {
      current.lines.push({ text, line });
    }
  });
  if (current) throw new Error(`schema.prisma: block ${current.keyword} ${current.name} is not closed`);
  return blocks;
}

/** Drops `//` and `///` comments, leaving `//` inside string literals alone. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '/' && line[i + 1] === '/') {
      return line.slice(0, i);
    }
  }
  return line;
}

// ---------------------------------------------------------------------------------------
// Enums and models

function parseEnum(block: Block): PrismaEnum {
  let dbName = block.name;
  const values: string[] = [];
  for (const { text, line } of block.lines) {
    const where = `schema.prisma line ${line} (enum ${block.name})`;
    if (text.startsWith('@@')) {
      const [attribute, ...rest] = parseAttributes(text, where);
      if (attribute?.name !== '@map' || rest.length > 0) throw new Error(`${where}: unsupported "${text}"`);
      dbName = stringArgument(attribute, where);
      continue;
    }
    const match = /^(\w+)\s*(.*)$/.exec(text);
    if (!match) throw new Error(`${where}: cannot read "${text}"`);
    let label = match[1]!;
    for (const attribute of parseAttributes(match[2]!, where)) {
      if (attribute.name !== 'map') throw new Error(`${where}: unsupported attribute @${attribute.name}`);
      label = stringArgument(attribute, where);
    }
    values.push(label);
  }
  return { name: block.name, dbName, values };
}

function parseModel(block: Block, modelNames: Set<string>, enumNames: Set<string>): PrismaModel {
  const model: PrismaModel = {
    name: block.name,
    dbName: block.name,
    fields: [],
    primaryKey: undefined,
    uniques: [],
    indexes: [],
    foreignKeys: [],
  };
  const blockAttributes: { attribute: Attribute; where: string }[] = [];

  for (const { text, line } of block.lines) {
    const where = `schema.prisma line ${line} (model ${block.name})`;
    if (text.startsWith('@@')) {
      for (const attribute of parseAttributes(text, where)) blockAttributes.push({ attribute, where });
      continue;
    }
    const match = /^(\w+)\s+(\w+)(\[\]|\?)?(?:\s+(.*))?$/.exec(text);
    if (!match) throw new Error(`${where}: cannot read field "${text}"`);
    const [, name, type, modifier, rest] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const kind: FieldKind = SCALAR_TYPES.includes(type)
      ? 'scalar'
      : enumNames.has(type)
        ? 'enum'
        : modelNames.has(type)
          ? 'relation'
          : fail(`${where}: unknown type ${type}`);
    const field: PrismaField = {
      name,
      dbName: name,
      type,
      kind,
      optional: modifier === '?',
      list: modifier === '[]',
      nativeType: undefined,
      default: undefined,
      updatedAt: false,
    };
    model.fields.push(field);

    for (const attribute of parseAttributes(rest ?? '', where)) {
      const fieldWhere = `${where}, field ${name}`;
      if (attribute.name.startsWith('db.')) {
        const args = attribute.args === undefined ? [] : splitTopLevel(attribute.args);
        field.nativeType = { name: attribute.name.slice(3), args };
        continue;
      }
      if (!FIELD_ATTRIBUTES.includes(attribute.name))
        throw new Error(`${fieldWhere}: unsupported attribute @${attribute.name}`);
      const args = parseArguments(attribute.args ?? '');
      /** @id or @unique on the field: a key of that one field, named by its `map` argument. */
      const fieldKey = (): IndexSpec => ({
        source: `@${attribute.name} on ${name}`,
        fields: [{ name, sort: 'Asc' }],
        map: optionalString(args, 'map'),
        type: undefined,
      });
      switch (attribute.name) {
        case 'id':
          model.primaryKey = fieldKey();
          break;
        case 'unique':
          model.uniques.push(fieldKey());
          break;
        case 'map':
          field.dbName = stringArgument(attribute, fieldWhere);
          break;
        case 'updatedAt':
          field.updatedAt = true;
          break;
        case 'default':
          field.default = parseDefault(
            args.positional[0] ?? args.named.get('value') ?? fail(`${fieldWhere}: @default without a value`),
          );
          break;
        case 'relation': {
          if (kind !== 'relation') throw new Error(`${fieldWhere}: @relation on a field that is not a relation`);
          const fields = args.named.get('fields');
          const references = args.named.get('references');
          if (fields === undefined && references === undefined) break; // the other side of the relation
          if (fields === undefined || references === undefined)
            throw new Error(`${fieldWhere}: @relation needs both fields and references`);
          model.foreignKeys.push({
            field: name,
            model: type,
            fields: parseList(fields).map(unquoteIdentifier),
            references: parseList(references).map(unquoteIdentifier),
            optional: field.optional,
            onDelete: referentialAction(args.named.get('onDelete'), fieldWhere),
            onUpdate: referentialAction(args.named.get('onUpdate'), fieldWhere),
            map: optionalString(args, 'map'),
          });
          break;
        }
      }
    }
  }

  for (const { attribute, where } of blockAttributes) {
    const args = parseArguments(attribute.args ?? '');
    const spec = (): IndexSpec => {
      const list =
        args.named.get('fields') ?? args.positional[0] ?? fail(`${where}: @${attribute.name} without fields`);
      return {
        source: `@${attribute.name}(${list})`,
        fields: parseList(list).map((item) => indexField(item, where)),
        map: optionalString(args, 'map'),
        type: args.named.get('type'),
      };
    };
    switch (attribute.name) {
      case '@map':
        model.dbName = stringArgument(attribute, where);
        break;
      case '@id':
        if (model.primaryKey) throw new Error(`${where}: model ${model.name} has both @id and @@id`);
        model.primaryKey = spec();
        break;
      case '@unique':
        model.uniques.push(spec());
        break;
      case '@index':
        model.indexes.push(spec());
        break;
      default:
        throw new Error(`${where}: unsupported attribute @${attribute.name}`);
    }
  }

  const known = new Set(model.fields.map((field) => field.name));
  for (const spec of [model.primaryKey, ...model.uniques, ...model.indexes]) {
    for (const { name } of spec?.fields ?? []) {
      if (!known.has(name))
        throw new Error(`schema.prisma: model ${model.name}: ${spec!.source} names unknown field ${name}`);
    }
  }
  return model;
}

/** Rejects what the checker cannot verify: implicit many-to-many relations (their join tables). */
function checkRelations(model: PrismaModel, models: PrismaModel[]): void {
  for (const field of model.fields) {
    if (field.kind !== 'relation' || !field.list) continue;
    const other = models.find((m) => m.name === field.type)!;
    const back = other.fields.filter((f) => f.type === model.name);
    if (back.length > 0 && back.every((f) => f.list)) {
      throw new Error(
        `schema.prisma: ${model.name}.${field.name} is an implicit many-to-many relation, which this checker does not support`,
      );
    }
  }
  for (const fk of model.foreignKeys) {
    const target = models.find((m) => m.name === fk.model)!;
    for (const name of fk.fields) {
      if (!model.fields.some((f) => f.name === name))
        throw new Error(`schema.prisma: ${model.name}.${fk.field} names unknown field ${name}`);
    }
    for (const name of fk.references) {
      if (!target.fields.some((f) => f.name === name))
        throw new Error(`schema.prisma: ${model.name}.${fk.field} references unknown field ${fk.model}.${name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Attributes and their arguments

/** `@id @default(uuid()) @db.Uuid` → [{ name: 'id' }, { name: 'default', args: 'uuid()' }, { name: 'db.Uuid' }]. */
function parseAttributes(text: string, where: string): Attribute[] {
  const attributes: Attribute[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const head = /^@(@?[\w.]+)/.exec(text.slice(i));
    if (!head) throw new Error(`${where}: expected an attribute at "${text.slice(i)}"`);
    i += head[0].length;
    let args: string | undefined;
    if (text[i] === '(') {
      const end = closingParen(text, i, where);
      args = text.slice(i + 1, end);
      i = end + 1;
    }
    attributes.push({ name: head[1]!, args });
  }
  return attributes;
}

/** The index of the `)` matching the `(` at `open`, skipping string literals. */
function closingParen(text: string, open: number, where: string): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`${where}: unbalanced parentheses in "${text}"`);
}

/** Splits on commas that are not inside brackets, parentheses or strings; trims the parts. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

function parseArguments(text: string): Arguments {
  const result: Arguments = { positional: [], named: new Map() };
  for (const part of splitTopLevel(text)) {
    const named = /^(\w+)\s*:\s*([\s\S]*)$/.exec(part);
    if (named) result.named.set(named[1]!, named[2]!);
    else result.positional.push(part);
  }
  return result;
}

/** `[a, b]` → ['a', 'b']. */
function parseList(text: string): string[] {
  const inner = /^\[([\s\S]*)\]$/.exec(text.trim());
  if (!inner) throw new Error(`schema.prisma: expected a list, got "${text}"`);
  return splitTopLevel(inner[1]!);
}

/** `expiresAt` or `expiresAt(sort: Desc)`. */
function indexField(item: string, where: string): { name: string; sort: 'Asc' | 'Desc' } {
  const match = /^(\w+)(?:\((.*)\))?$/.exec(item);
  if (!match) throw new Error(`${where}: cannot read index field "${item}"`);
  const args = parseArguments(match[2] ?? '');
  const unsupported = [...args.named.keys()].filter((key) => key !== 'sort');
  if (unsupported.length > 0 || args.positional.length > 0)
    throw new Error(`${where}: unsupported index field arguments in "${item}"`);
  const sort = args.named.get('sort') ?? 'Asc';
  if (sort !== 'Asc' && sort !== 'Desc') throw new Error(`${where}: unknown sort ${sort}`);
  return { name: match[1]!, sort };
}

function unquoteIdentifier(item: string): string {
  if (!/^\w+$/.test(item)) throw new Error(`schema.prisma: expected a field name, got "${item}"`);
  return item;
}

function parseString(text: string): string | undefined {
  return /^"(?:[^"\\]|\\.)*"$/.test(text) ? (JSON.parse(text) as string) : undefined;
}

function stringArgument(attribute: Attribute, where: string): string {
  const args = parseArguments(attribute.args ?? '');
  const raw = args.positional[0] ?? args.named.get('name') ?? args.named.get('map');
  const value = raw === undefined ? undefined : parseString(raw);
  return value ?? fail(`${where}: @${attribute.name} needs a string argument`);
}

function optionalString(args: Arguments, key: string): string | undefined {
  const raw = args.named.get(key);
  if (raw === undefined) return undefined;
  return parseString(raw) ?? fail(`schema.prisma: ${key}: expects a string, got ${raw}`);
}

function parseDefault(text: string): DefaultValue {
  const call = /^(\w+)\(([\s\S]*)\)$/.exec(text);
  if (call) return { kind: 'function', name: call[1]!, args: call[2]! };
  const string = parseString(text);
  if (string !== undefined) return { kind: 'string', value: string };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'number', value: Number(text) };
  if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true' };
  if (/^\w+$/.test(text)) return { kind: 'identifier', value: text };
  if (/^\[\s*\]$/.test(text)) return { kind: 'empty-list' };
  throw new Error(`schema.prisma: unsupported @default(${text})`);
}

function referentialAction(text: string | undefined, where: string): ReferentialAction | undefined {
  if (text === undefined) return undefined;
  if (!(REFERENTIAL_ACTIONS as string[]).includes(text))
    throw new Error(`${where}: unknown referential action ${text}`);
  return text as ReferentialAction;
}

function fail(message: string): never {
  throw new Error(message);
}
