import { parseArgs } from 'node:util';
import { EXIT, EXIT_MEANING, type ExitCode } from './exit-codes.ts';

/**
 * The small command framework both command-line tools are built on: a command is a definition
 * (name, summary, options with descriptions, examples) and a run function; help is generated
 * from the definitions, every failure is printed the same way, and exit codes come from one table.
 * A package of its own (not packages/contracts, which the browser console imports): it uses
 * node:util, and keeps the License Server CLI free of any server code.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How the value is shown in help (`--out FILE`); string options only. */
  value?: string;
  description: string;
  /** An old spelling still accepted for a release: its value goes to `instead`, with a warning. */
  deprecated?: { instead: string; convert?: (value: string) => string };
}
export type Options = Record<string, OptionSpec>;
export type Values<O extends Options> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['type'] extends 'string' ? string : string | boolean;
};

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export interface Command<C, O extends Options = Options> {
  name: string;
  summary: string;
  /** Lines of help below the summary. */
  details?: string[];
  options: O;
  examples?: string[];
  run(values: Values<O>, ctx: C): Promise<ExitCode> | ExitCode;
}

/** Keeps the option names typed inside run(). */
export const defineCommand = <C, O extends Options>(command: Command<C, O>): Command<C, O> => command;

export interface Program<C> {
  /** How the tool is started (`license-server`, `npm run admin --`). */
  name: string;
  summary: string;
  commands: Command<C, Options>[];
  /** Understood by every command (`--state-dir`, …). */
  common: Options;
  /** The codes this tool answers, with what each means for it when more than the shared meaning. */
  exitCodes: Partial<Record<ExitCode, string>>;
  /** Builds what the commands work with, from the common options; closed after the command. */
  context(common: Record<string, string | boolean | undefined>, io: Io): Promise<C> | C;
  dispose?(ctx: C): Promise<void>;
  /** Turns the errors the tool knows into a message, a hint and a code; others are unexpected. */
  explain?(error: unknown): CliError | undefined;
}

/** A failure with what to do next: printed as `error: …` and `hint: …` on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function printError(io: Io, error: { message: string; hint?: string | undefined }): void {
  io.err(`error: ${error.message}`);
  if (error.hint) io.err(`hint: ${error.hint}`);
}

/** Something went wrong but the command carries on (a retry, an old option): `warning: …` on stderr. */
export function printWarning(io: Io, message: string): void {
  io.err(`warning: ${message}`);
}

/** A whole number of at least 1, or a usage error naming the option. */
export function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${option} must be a whole number of at least 1, not "${value}".`, EXIT.usage);
  return n;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration as both tools spell it: a number and a unit, `30s`, `15m`, `1h` or `1d`; in seconds. */
export function parseDuration(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([smhd])$/i.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!.toLowerCase()]! : 0;
  if (!seconds)
    throw new CliError(`${option} takes a duration such as 30s, 15m, 1h or 1d, not "${value}".`, EXIT.usage);
  return seconds;
}

const optionLine = ([name, spec]: [string, OptionSpec]) => {
  const flag = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return `  ${(spec.short ? `-${spec.short}, ${flag}` : flag).padEnd(26)} ${spec.description}`;
};
const shownOptions = (options: Options) => Object.entries(options).filter(([, spec]) => !spec.deprecated);

export function exitCodeHelp(codes: Partial<Record<ExitCode, string>>): string {
  const lines = Object.entries(codes).map(
    ([code, meaning]) => `  ${code.padEnd(4)} ${meaning || EXIT_MEANING[Number(code) as ExitCode]}`,
  );
  return ['Exit codes:', ...lines].join('\n');
}

export function programHelp(program: Program<unknown>): string {
  return [
    program.summary,
    '',
    `Usage: ${program.name} <command> [options]   (${program.name} <command> --help for its options)`,
    '',
    'Commands:',
    ...program.commands.flatMap((c) => [
      `  ${program.name} ${c.name}`.trimEnd(),
      `      ${c.summary}`,
      ...shownOptions(c.options).map((option) => `    ${optionLine(option)}`),
    ]),
    '',
    ...(shownOptions(program.common).length
      ? ['Options of every command:', ...shownOptions(program.common).map(optionLine), '']
      : []),
    exitCodeHelp(program.exitCodes),
    '',
  ].join('\n');
}

export function commandHelp(program: Program<unknown>, command: Command<unknown, Options>): string {
  const options = shownOptions(command.options);
  return [
    `Usage: ${program.name} ${command.name} [options]`,
    '',
    command.summary,
    ...(command.details ?? []),
    ...(options.length ? ['', 'Options:', ...options.map(optionLine)] : []),
    '',
    'Options of every command:',
    ...shownOptions(program.common).map(optionLine),
    ...(command.examples?.length ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}

const isParseError = (error: unknown) => String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');

/** Parses the command line, runs the command, prints any failure in the one format, and answers the exit code. */
export async function runProgram<C>(program: Program<C>, argv: string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (!name) {
    // Asked for nothing: the help goes where errors go, so a script's output stays clean.
    io.err(programHelp(program as Program<unknown>));
    return EXIT.usage;
  }
  if (['help', '--help', '-h'].includes(name)) {
    io.out(programHelp(program as Program<unknown>));
    return EXIT.ok;
  }
  const command = program.commands.find((c) => c.name === name);
  if (!command) {
    printError(io, {
      message: `unknown command "${name}".`,
      hint: `The commands are ${program.commands.map((c) => c.name).join(', ')}; see ${program.name} --help.`,
    });
    return EXIT.usage;
  }
  const options: Options = {
    ...program.common,
    ...command.options,
    help: { type: 'boolean', short: 'h', description: '' },
  };
  let ctx: C | undefined;
  try {
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values;
    } catch (error) {
      if (!isParseError(error)) throw error;
      throw new CliError((error as Error).message, EXIT.usage, `See ${program.name} ${name} --help.`);
    }
    if (values.help) {
      io.out(commandHelp(program as Program<unknown>, command as Command<unknown, Options>));
      return EXIT.ok;
    }
    for (const [old, spec] of Object.entries(options)) {
      const given = values[old];
      if (!spec.deprecated || given === undefined) continue;
      const { instead, convert } = spec.deprecated;
      printWarning(io, `--${old} is deprecated and will be removed; use --${instead}.`);
      values[instead] ??= typeof given === 'string' && convert ? convert(given) : given;
    }
    const common = Object.fromEntries(Object.keys(program.common).map((key) => [key, values[key]]));
    ctx = await program.context(common, io);
    return await command.run(values, ctx);
  } catch (error) {
    const known = error instanceof CliError ? error : program.explain?.(error);
    if (known) {
      printError(io, known);
      return known.exitCode;
    }
    printError(io, {
      message: error instanceof Error ? error.message : String(error),
      hint: 'This was not expected; run the command again, and report it with this output if it repeats.',
    });
    return EXIT.unexpected;
  } finally {
    if (ctx !== undefined) await program.dispose?.(ctx);
  }
}
