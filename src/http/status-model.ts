// What the status page (GET /) shows, as plain data: a few facts and tables of text cells. The
// server renders it to HTML (status-html.ts) and streams the same data to the page's script
// (status-events.ts), which rebuilds the tables from it: one description of the page, two renderers
// that cannot drift apart in what they show. Every string here may come from a tenant's labels.

import { healthReport, type HealthStatus } from './health.ts';
import { portsReport } from './ports.ts';
import { routesReport, type DiagnosticEntry, type RouterEntry } from './routes.ts';
import type { RuntimeView } from './runtime-view.ts';
import { portTables } from './status-ports.ts';
import { flag, lines, text, time, type Cell, type Row, type RowGroup, type Table } from './status-table.ts';

export interface StatusPage {
  /** Unix ms the page describes. */
  readonly now: number;
  readonly status: HealthStatus;
  readonly reasons: readonly string[];
  readonly facts: readonly { readonly term: string; readonly cell: Cell }[];
  readonly tables: readonly Table[];
}

export const SECTIONS = [
  ['daemons', 'Daemons'],
  ['routes', 'Routes'],
  ['diagnostics', 'Diagnostics'],
  ['ports', 'Ports'],
  ['output', 'Output'],
] as const;

export function statusPage(view: RuntimeView, now: number): StatusPage {
  const health = healthReport(view, now);
  const routes = routesReport(view.latest());
  const ports = portsReport(view);
  return {
    now,
    status: health.status,
    reasons: health.reasons,
    facts: [
      { term: 'Status', cell: text(health.status, health.status === 'ok' ? 'ok' : health.status === 'degraded' ? 'warn' : 'bad') },
      { term: 'Version', cell: text(health.version) },
      { term: 'Started', cell: time(health.startedAt) },
      { term: 'Last render', cell: time(health.lastRenderAt) },
      { term: 'Routers', cell: text(`${health.routers.total} (http ${health.routers.http}, tcp ${health.routers.tcp}, udp ${health.routers.udp})`) },
      { term: 'Auto-routes', cell: text(health.autoRoutes ? `on, *.${health.baseDomain ?? ''}` : 'off') },
      { term: 'Diagnostics', cell: text(`${health.diagnostics.error} errors, ${health.diagnostics.warning} warnings, ${health.diagnostics.info} notes`) },
    ],
    tables: [
      {
        id: 'daemon-table',
        section: 'daemons',
        caption: 'Docker daemons (one per tenant)',
        columns: ['Daemon', 'State', 'Since', 'Containers', 'Routers', 'Last event', 'Last sync', 'Last error', 'Socket'],
        empty: 'No daemon found yet.',
        groups: [
          {
            title: null,
            rows: [
              ...health.daemons.map((d) => ({
                keys: [d.id, ...d.containerFaults.map((f) => f.container ?? f.id)],
                cells: [
                  text(d.id),
                  text(d.stale ? `${d.state}, stale` : d.state, d.state === 'connected' && !d.stale ? 'ok' : d.state === 'connecting' ? 'warn' : 'bad'),
                  time(d.stateSince),
                  text(d.containers),
                  text(d.routers),
                  time(d.lastEventAt),
                  time(d.lastSyncAt),
                  lines(
                    [...(d.lastError === null ? [] : [d.lastError]), ...d.containerFaults.map((f) => `container ${f.container ?? f.id}: ${f.error}`)],
                    d.state === 'connected' && d.containerFaults.length === 0 ? 'muted' : 'bad',
                  ),
                  text(d.socket),
                ],
              })),
              ...health.refusedDaemons.map((r) => ({
                keys: [r.id],
                cells: [text(r.id), text('refused', 'bad'), time(r.since), text(null), text(null), text(null), text(null), text(`${r.heldBy} has this id`, 'bad'), text(r.socket)],
              })),
            ],
          },
        ],
      },
      {
        id: 'route-table',
        section: 'routes',
        caption: 'Routers in Traefik’s configuration',
        columns: ['Host or rule', 'Router', 'Protocol', 'Entrypoints', 'TLS', 'Backends', 'Daemon', 'Container', 'From'],
        empty: 'No routers.',
        groups: [{ title: null, rows: routes.routers.map(routeRow) }],
      },
      {
        id: 'diagnostic-table',
        section: 'diagnostics',
        caption: 'Diagnostics by daemon and container: what was refused or skipped, and why',
        columns: ['Severity', 'Code', 'Label', 'Message'],
        empty: 'No diagnostics: every label was understood.',
        groups: diagnosticGroups(routes.diagnostics),
      },
      ...portTables(ports),
      {
        id: 'sinks',
        section: 'output',
        caption: 'Where fragments go',
        columns: ['Sink', 'Target', 'State', 'Last delivered', 'Last error', 'Delivered', 'Errors', 'Pending'],
        empty: 'No sinks.',
        groups: [
          {
            title: null,
            rows: health.sinks.map((s) => ({
              keys: [],
              cells: [
                text(s.kind),
                text(s.target),
                flag(s.failing, 'failing', 'ok'),
                time(s.lastDeliveredAt),
                s.lastError === null ? text(null) : lines([`${s.lastError} (${s.lastErrorAt ?? 'unknown time'})`], s.failing ? 'bad' : 'muted'),
                text(s.delivered),
                text(s.errors),
                text(s.pending),
              ],
            })),
          },
        ],
      },
      {
        id: 'files',
        section: 'output',
        caption: `Files in the output directory${health.output ? ` ${health.output.dir}` : ''}`,
        columns: ['Daemon', 'File', 'Bytes', 'Written', 'Pending', 'Last error'],
        empty: 'No fragment files.',
        groups: [
          {
            title: null,
            rows: [
              ...(health.output?.files ?? []).map((f) => ({
                keys: [f.daemon],
                cells: [text(f.daemon), text(f.file), text(f.bytes), time(f.writtenAt), flag(f.pending, 'pending', 'no', 'warn'), text(f.lastError, 'bad')],
              })),
              ...health.operatorFiles.map((f) => ({
                keys: [f.file],
                cells: [
                  text('operator', 'muted'),
                  text(f.file),
                  text(null),
                  text(null),
                  text(null),
                  f.error === null ? text(`${f.routers} routers, hosts reserved`, 'muted') : text(`not readable: ${f.error}`, 'bad'),
                ],
              })),
            ],
          },
        ],
      },
    ],
  };
}

function routeRow(r: RouterEntry): Row {
  return {
    keys: [r.daemon, ...r.containers, r.rule ?? '', r.name],
    cells: [
      text(r.rule ?? (r.protocol === 'udp' ? 'whole entrypoint (UDP)' : null)),
      text(r.name),
      text(r.protocol),
      lines(r.entryPoints),
      tlsCell(r.tls),
      lines(r.servers),
      text(r.daemon),
      lines(r.containers),
      text(r.autoRoute ? 'auto-route' : 'labels'),
    ],
  };
}

/** `tls` as written in the fragment: off, on, or on with a resolver, passthrough and options. */
function tlsCell(tls: unknown): Cell {
  if (tls === null || tls === undefined) return { text: 'no', tone: 'muted' };
  if (typeof tls !== 'object') return text(String(tls));
  const parts = Object.entries(tls as Record<string, unknown>)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    .map(([key, value]) => `${key}: ${String(value)}`);
  return text(parts.length === 0 ? 'yes' : `yes (${parts.join(', ')})`, 'ok');
}

function diagnosticGroups(diagnostics: readonly DiagnosticEntry[]): RowGroup[] {
  // Entries come sorted by daemon, then container: consecutive runs are the groups.
  const groups: { title: string; rows: Row[] }[] = [];
  let key: string | undefined;
  for (const d of diagnostics) {
    const groupKey = `${d.daemon}\u0000${d.container ?? ''}`;
    if (groupKey !== key) {
      key = groupKey;
      groups.push({ title: d.container === null ? `daemon ${d.daemon}` : `daemon ${d.daemon} · container ${d.container}`, rows: [] });
    }
    groups.at(-1)?.rows.push({
      keys: [d.daemon, d.container ?? ''],
      cells: [text(d.severity, d.severity === 'error' ? 'bad' : d.severity === 'warning' ? 'warn' : 'muted'), text(d.code), text(d.label), text(d.message)],
    });
  }
  return groups;
}
