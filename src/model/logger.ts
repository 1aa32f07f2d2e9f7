// Structured logging as an interface: library code (discovery, writers) logs through a Logger it is
// given, so tests stay quiet and the CLI decides where lines go. Output is not done here (model/ is
// pure): jsonLinesLogger formats, the caller's `write` prints.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The default: drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/**
 * One JSON object per line: `{"time":…,"level":…,"msg":…,…fields}`. Fields never overwrite the
 * three fixed keys, so a field called `msg` cannot hide the message.
 */
export function jsonLinesLogger(
  write: (line: string) => void,
  minimumLevel: LogLevel = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const minimum = LEVEL_RANK[minimumLevel];
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minimum) return;
    const line: Record<string, unknown> = { time: now().toISOString(), level, msg: message };
    for (const [key, value] of Object.entries(fields ?? {})) if (!(key in line)) line[key] = value;
    write(JSON.stringify(line, jsonSafe) + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Errors carry their message in a non-enumerable property; JSON.stringify would print `{}`. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
