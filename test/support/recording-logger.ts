// A Logger that keeps what it is told, for tests that assert on what was logged.

import type { LogFields, Logger, LogLevel } from '../../src/model/logger.ts';

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

export function recordingLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
