// Diagnostics are data: everything a user can cause (a bad label, a clash, a refused reference)
// becomes one of these, never an exception. /routes.json and `render` print them as they are.

import { compareCodePoints } from './ordering.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Daemon (network id) the finding belongs to. */
  readonly daemon: string;
  /** Container name, when one container is at fault; absent for daemon-wide findings. */
  readonly container?: string;
  readonly severity: Severity;
  /** Stable kebab-case code, e.g. `label-decode`, `port-missing`, `host-conflict`. */
  readonly code: string;
  readonly message: string;
  /** The label that caused it, when there is one. */
  readonly label?: string;
}

/** Collects diagnostics for one daemon (and optionally one container) without repeating the context. */
export class DiagnosticSink {
  readonly items: Diagnostic[];

  constructor(
    readonly daemon: string,
    items: Diagnostic[] = [],
  ) {
    this.items = items;
  }

  report(severity: Severity, code: string, message: string, where: { container?: string; label?: string } = {}): void {
    const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { daemon: this.daemon, severity, code, message };
    if (where.container !== undefined) diagnostic.container = where.container;
    if (where.label !== undefined) diagnostic.label = where.label;
    this.items.push(diagnostic);
  }

  error(code: string, message: string, where?: { container?: string; label?: string }): void {
    this.report('error', code, message, where);
  }

  warning(code: string, message: string, where?: { container?: string; label?: string }): void {
    this.report('warning', code, message, where);
  }

  info(code: string, message: string, where?: { container?: string; label?: string }): void {
    this.report('info', code, message, where);
  }
}

/** Names for a message, at most `max` of them: one hostile list must not make every message huge. */
export function listed(names: readonly string[], max = 10): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Deterministic order for output: daemon, container, code, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareCodePoints(a.daemon, b.daemon) ||
    compareCodePoints(a.container ?? '', b.container ?? '') ||
    compareCodePoints(a.code, b.code) ||
    compareCodePoints(a.message, b.message)
  );
}
