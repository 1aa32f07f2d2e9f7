// Flags, then ROUTE_SERVER_* environment variables, then the --config file: the first that sets an
// option wins. Every mistake is reported with the option's name and what was expected.

import { parse as parseYaml } from 'yaml';
import { envName, OPTIONS, optionsFor, type Command, type OptionName, type OptionSpec, type OptionType } from './option-spec.ts';

export type OptionValue = string | boolean | readonly string[] | number;
export type OptionSource = 'flag' | 'env' | 'config';

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, OptionValue>;
  readonly sources: ReadonlyMap<string, OptionSource>;
  readonly positionals: readonly string[];
  readonly help: boolean;
  /** The option's value as parsed (flag, environment or --config), undefined when none set it. */
  get<N extends OptionName>(name: N): OptionType<N> | undefined;
}

export class UsageError extends Error {}

export interface ArgsEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
}

export function parseArgs(command: Command, argv: readonly string[], environment: ArgsEnvironment): ParsedArgs {
  const specs = new Map(optionsFor(command).map((spec) => [spec.name, spec]));
  const values = new Map<string, OptionValue>();
  const sources = new Map<string, OptionSource>();
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.get(name);
    if (!spec) throw new UsageError(`Unknown option --${name} for \`route-server ${command}\` (see --help)`);
    let text: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (text === undefined && spec.kind !== 'boolean') {
      text = argv[++i];
      if (text === undefined) throw new UsageError(`Expected a value after --${name}`);
    }
    const value = spec.kind === 'boolean' ? readBoolean(text ?? 'true', `--${name}`) : readValue(spec, text as string, `--${name}`);
    if (spec.kind === 'repeat') {
      values.set(name, [...((values.get(name) as readonly string[] | undefined) ?? []), ...(value as readonly string[])]);
    } else {
      values.set(name, value);
    }
    sources.set(name, 'flag');
  }

  for (const spec of specs.values()) {
    if (values.has(spec.name)) continue;
    const text = environment.env[envName(spec.name)];
    if (text === undefined) continue;
    values.set(spec.name, spec.kind === 'boolean' ? readBoolean(text, envName(spec.name)) : readValue(spec, text, envName(spec.name)));
    sources.set(spec.name, 'env');
  }

  const configPath = values.get('config');
  if (typeof configPath === 'string' && configPath !== '') {
    for (const [name, value] of readConfigFile(configPath, specs, environment, command)) {
      if (values.has(name)) continue;
      values.set(name, value);
      sources.set(name, 'config');
    }
  }
  return { values, sources, positionals, help, get: (name) => values.get(name) as never };
}

function readConfigFile(
  path: string,
  specs: ReadonlyMap<string, OptionSpec>,
  environment: ArgsEnvironment,
  command: Command,
): Map<string, OptionValue> {
  let text: string;
  try {
    text = environment.readFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read --config ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new UsageError(`--config ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return new Map();
  if (typeof document !== 'object' || Array.isArray(document)) throw new UsageError(`--config ${path} must be a mapping of option names to values`);
  const out = new Map<string, OptionValue>();
  for (const [name, raw] of Object.entries(document as Record<string, unknown>)) {
    const spec = specs.get(name);
    // One file describes the host for every command: a key another command takes is not an error here.
    if (!spec && OPTIONS.some((option) => option.name === name)) continue;
    if (!spec) throw new UsageError(`Unknown key ${JSON.stringify(name)} in --config ${path} for \`route-server ${command}\``);
    if (name === 'config') throw new UsageError(`--config ${path} cannot name another config file`);
    const where = `${name} in ${path}`;
    if (spec.kind === 'boolean') {
      if (typeof raw !== 'boolean') throw new UsageError(`Expected \`${where}\` to be true or false, got ${JSON.stringify(raw)}`);
      out.set(name, raw);
    } else if ((spec.kind === 'list' || spec.kind === 'repeat') && Array.isArray(raw)) {
      // `tcp-ports: [25, 587]` is a list of numbers to YAML: read them as they were written.
      if (!raw.every((item) => typeof item === 'string' || typeof item === 'number')) throw new UsageError(`Expected \`${where}\` to be a list of strings`);
      out.set(name, raw.map(String));
    } else if (typeof raw === 'string' || typeof raw === 'number') {
      out.set(name, readValue(spec, String(raw), where));
    } else {
      throw new UsageError(`Expected \`${where}\` to be a ${spec.kind === 'list' || spec.kind === 'repeat' ? 'list or string' : 'string'}, got ${JSON.stringify(raw)}`);
    }
  }
  return out;
}

function readValue(spec: OptionSpec, text: string, where: string): OptionValue {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'list':
    case 'repeat':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'duration':
      return readDuration(text, where);
    case 'boolean':
      return readBoolean(text, where);
  }
}

function readBoolean(text: string, where: string): boolean {
  const lower = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(lower)) return false;
  throw new UsageError(`Expected \`${where}\` to be true or false, got ${JSON.stringify(text)}`);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `150ms`, `2s`, `1.5m`, `0` → milliseconds. */
export function readDuration(text: string, where: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(trimmed);
  if (!match) throw new UsageError(`Expected \`${where}\` to be a duration like 250ms, 2s or 1m, got ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * (DURATION_UNITS[match[2] as string] as number));
}
