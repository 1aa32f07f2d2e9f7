// Options of the fragment writer, validated once at construction with exact messages.

import { resolve } from 'node:path';
import { silentLogger, type Logger } from '../model/logger.ts';
import { prefixProblem } from './fragment-name.ts';

export interface FragmentWriterOptions {
  /** The directory Traefik's file provider watches. Created (mkdir -p) by `start()`. */
  readonly dir: string;
  /** Owned files are `{prefix}{daemon}.yml`; `[A-Za-z0-9._-]+`. SPEC default: `rs-`. */
  readonly prefix: string;
  readonly logger?: Logger;
  /** First retry delay after a failed write, in ms (default 100); doubles per failure, with jitter. */
  readonly retryInitialMs?: number;
  /** Cap of the retry delay, in ms (default 30 000). */
  readonly retryMaxMs?: number;
  /** Watch the directory and restore fragments changed by someone else (default true). */
  readonly watch?: boolean;
}

export interface ResolvedWriterOptions {
  readonly dir: string;
  readonly prefix: string;
  readonly logger: Logger;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly watch: boolean;
}

export const DEFAULT_RETRY_INITIAL_MS = 100;
export const DEFAULT_RETRY_MAX_MS = 30_000;

export function resolveWriterOptions(options: FragmentWriterOptions): ResolvedWriterOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  }
  const { dir, prefix, logger = silentLogger, watch = true } = options;
  const { retryInitialMs = DEFAULT_RETRY_INITIAL_MS, retryMaxMs = DEFAULT_RETRY_MAX_MS } = options;

  if (typeof dir !== 'string' || dir.length === 0 || dir.includes('\0')) {
    throw new TypeError(`Expected \`dir\` to be a non-empty path, got ${describe(dir)}`);
  }
  const problem = typeof prefix === 'string' ? prefixProblem(prefix) : 'to be a non-empty string of [A-Za-z0-9._-]';
  if (problem !== null) throw new TypeError(`Expected \`prefix\` ${problem}, got ${describe(prefix)}`);
  if (!isLogger(logger)) {
    throw new TypeError(`Expected \`logger\` to have debug, info, warn and error methods, got ${describe(logger)}`);
  }
  if (typeof retryInitialMs !== 'number' || !Number.isFinite(retryInitialMs) || retryInitialMs <= 0) {
    throw new TypeError(`Expected \`retryInitialMs\` to be a finite number > 0, got ${describe(retryInitialMs)}`);
  }
  if (typeof retryMaxMs !== 'number' || !Number.isFinite(retryMaxMs) || retryMaxMs < retryInitialMs) {
    throw new TypeError(
      `Expected \`retryMaxMs\` to be a finite number >= \`retryInitialMs\` (${retryInitialMs}), got ${describe(retryMaxMs)}`,
    );
  }
  if (typeof watch !== 'boolean') throw new TypeError(`Expected \`watch\` to be a boolean, got ${describe(watch)}`);

  // Absolute, so chokidar's event paths compare equal to ours.
  return { dir: resolve(dir), prefix, logger, retryInitialMs, retryMaxMs, watch };
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((method) => typeof candidate[method] === 'function');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${String(value)} (${typeof value})`;
}
