// What the status page (GET /) shows, as plain data: a few facts and tables of text cells. The
// server renders it to HTML (status-html.ts) and streams the same data to the page's script
// (status-events.ts), which rebuilds the tables from it: one description of the page, two renderers
// that cannot drift apart in what they show. Every string here may come from a tenant's labels.

import { healthReport, type HealthStatus } from './health.ts';
import { portsReport, type ProtocolPorts } from './ports.ts';
import { routesReport, type DiagnosticEntry, type RouterEntry } from './routes.ts';
import type { RuntimeView } from './runtime-view.ts';

/** `tone` colours a cell; `time` (ISO) makes it an age the page keeps current; `lines` stack. */
export interface Cell {
  readonly text: string;
  readonly lines?: readonly string[];
  readonly time?: string;
  readonly tone?: 'ok' | 'warn' | 'bad' | 'muted';
}

export interface Row {
  readonly cells: readonly Cell[];
  /** What the filter box matches against (daemon, container, host or rule, router). */
  readonly keys: readonly string[];
}

export interface RowGroup {
  /** A heading row over the group (diagnostics by daemon and container); null for none. */
  readonly title: string | null;
  readonly rows: readonly Row[];
}

export interface Table {
  readonly id: string;
  readonly section: string;
  readonly caption: string;
  readonly columns: readonly string[];
  readonly groups: readonly RowGroup[];
  readonly empty: string;
}

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

const text = (value: string | number | null | undefined, tone?: Cell['tone']): Cell =>
  value === null || value === undefined ? { text: '—', tone: 'muted' } : { text: String(value), ...(tone ? { tone } : {}) };
const lines = (values: readonly string[], tone?: Cell['tone']): Cell =>
  values.length === 0 ? text(null) : { text: values.join('\n'), lines: values, ...(tone ? { tone } : {}) };
const time = (iso: string | null): Cell => (iso === null ? { text: 'never', tone: 'muted' } : { text: iso, time: iso });
const flag = (on: boolean, yes: string, no: string, bad: Cell['tone'] = 'bad'): Cell => (on ? { text: yes, tone: bad } : { text: no, tone: 'muted' });

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
      ...(['tcp', 'udp'] as const).map((protocol) => allocationTable(protocol, ports[protocol])),
      {
        id: 'port-ranges',
        section: 'ports',
        caption: 'Port ranges and what is free',
        columns: ['Protocol', 'Range', 'Allocated', 'Named by routers', 'Free'],
        empty: 'No port ranges.',
        groups: [
          {
            title: null,
            rows: (['tcp', 'udp'] as const).map((protocol) => {
              const p = ports[protocol];
              return {
                keys: [],
                cells: [
                  text(protocol),
                  p.range ? text(`${p.range.first}–${p.range.last}`) : text('none', 'muted'),
                  text(p.counts.allocated),
                  text(p.counts.explicit),
                  text(`${p.counts.free}${p.free.length > 0 ? `: ${spans(p.free)}` : ''}`, p.range && p.counts.free === 0 ? 'bad' : undefined),
                ],
              };
            }),
          },
        ],
      },
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

function allocationTable(protocol: 'tcp' | 'udp', ports: ProtocolPorts): Table {
  return {
    id: `${protocol}-ports`,
    section: 'ports',
    caption: `${protocol.toUpperCase()} ports handed out and named`,
    columns: ['Port', 'Entrypoint', 'Daemon', 'Router', 'In use', 'Backend'],
    empty: `No ${protocol.toUpperCase()} port is allocated.`,
    groups: [
      {
        title: null,
        rows: [
          ...ports.allocations.map((a) => ({
            keys: [a.daemon, a.router],
            cells: [text(a.port), text(a.entrypoint), text(a.daemon), text(a.router), a.active ? text('yes', 'ok') : text('kept for its router', 'muted'), text(a.backend)],
          })),
          ...ports.explicit.map((e) => ({
            keys: e.routers.flatMap((r) => [r.daemon, r.router]),
            cells: [
              text(e.port),
              text(e.entrypoint),
              lines([...new Set(e.routers.map((r) => r.daemon))]),
              lines(e.routers.map((r) => r.router)),
              text(e.inRange ? 'named by the router, never handed out' : 'named by the router, outside the range', 'muted'),
              text(null),
            ],
          })),
        ],
      },
    ],
  };
}

/** `[1,2,3,7,9,10]` → `1–3, 7, 9–10`: a free range of thousands of ports in a few characters. */
export function spans(ports: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === (ports[j] as number) + 1) j++;
    out.push(i === j ? String(ports[i]) : `${ports[i]}–${ports[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
