// Diagnostics are data: everything a user can cause (a bad label, a clash, a refused reference)
// becomes one of these, never an exception. /routes.json and `render` print them as they are.

import { compareCodePoints } from './ordering.ts';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Who can produce a code, and so what proves it works: `render` codes come from a snapshot's labels
 * and each has a golden case under fixtures/render/ that produces it (test/golden/codes.test.ts
 * checks); `render-fault` is the render's own bug, and `runtime` codes come from the running
 * server: those have unit tests instead.
 */
export type DiagnosticSource = 'render' | 'render-fault' | 'runtime';

/** Every diagnostic code, in one list: a code not listed here does not compile. */
export const DIAGNOSTIC_CODES = {
  // The daemon as a whole.
  'daemon-id-invalid': 'render',
  'render-failed': 'render-fault',
  'container-inspect-failed': 'runtime',
  // Which containers route, and their labels.
  'container-not-running': 'render',
  'container-unhealthy': 'render',
  'labels-too-many': 'render',
  'label-key-too-deep': 'render',
  'label-value-too-large': 'render',
  'label-decode': 'render',
  'label-ignored': 'render',
  'label-not-settable': 'render',
  'docker-network-missing': 'render',
  'ports-invalid': 'render',
  'port-missing': 'render',
  'server-error': 'render',
  // Auto-routes (rediacc.* labels).
  'auto-routes-off': 'render',
  'auto-route-no-domain': 'render',
  'auto-route-name': 'render',
  'traefik-labels-ignored': 'render',
  'service-ip-missing': 'render',
  'service-ip-invalid': 'render',
  'service-ip-refused': 'render',
  'service-port-invalid': 'render',
  // Routers and services built from traefik.* labels.
  'no-default-router': 'render',
  'router-unlinked': 'render',
  'rule-empty': 'render',
  'rule-undefined': 'render',
  'defined-multiple-times': 'render',
  // Refusals within one tenant.
  'name-refused': 'render',
  'model-refused': 'render',
  'tls-store-refused': 'render',
  'structure-invalid': 'render',
  'backend-refused': 'render',
  'plugin-refused': 'render',
  'file-path-refused': 'render',
  'health-check-too-frequent': 'render',
  'body-limit-refused': 'render',
  'chain-recursion': 'render',
  'chain-too-deep': 'render',
  'reference-refused': 'render',
  'rule-invalid': 'render',
  'rule-too-long': 'render',
  'rule-too-deep': 'render',
  'rule-too-many-matchers': 'render',
  'daemon-regexp-budget': 'render',
  'daemon-host-budget': 'render',
  'rule-unbounded': 'render',
  'rule-negated-host-tls': 'render',
  'host-refused': 'render',
  'entrypoint-protocol': 'render',
  // Refusals across tenants.
  'name-collision': 'render',
  'host-reserved-operator': 'render',
  'host-conflict': 'render',
  'entrypoint-reserved-operator': 'render',
  'entrypoint-conflict': 'render',
  'tls-domain-refused': 'render',
  'cert-quota': 'render',
  'port-quota': 'render',
  'port-exhausted': 'render',
  'port-no-range': 'render',
  'entrypoint-unknown': 'render',
} as const satisfies Record<string, DiagnosticSource>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  /** Daemon (network id) the finding belongs to. */
  readonly daemon: string;
  /** Container name, when one container is at fault; absent for daemon-wide findings. */
  readonly container?: string;
  readonly severity: Severity;
  /** Stable kebab-case code, e.g. `label-decode`, `port-missing`, `host-conflict`. */
  readonly code: DiagnosticCode;
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

  report(severity: Severity, code: DiagnosticCode, message: string, where: { container?: string; label?: string } = {}): void {
    const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { daemon: this.daemon, severity, code, message };
    if (where.container !== undefined) diagnostic.container = where.container;
    if (where.label !== undefined) diagnostic.label = where.label;
    this.items.push(diagnostic);
  }

  error(code: DiagnosticCode, message: string, where?: { container?: string; label?: string }): void {
    this.report('error', code, message, where);
  }

  warning(code: DiagnosticCode, message: string, where?: { container?: string; label?: string }): void {
    this.report('warning', code, message, where);
  }

  info(code: DiagnosticCode, message: string, where?: { container?: string; label?: string }): void {
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
