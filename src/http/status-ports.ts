// The status page's Ports section: per protocol, the ports handed out and named, then each range
// with what is still free.

import type { PortsReport, ProtocolPorts } from './ports.ts';
import { lines, text, type Table } from './status-table.ts';

/** The section's tables: TCP and UDP allocations, then the ranges. */
export function portTables(ports: PortsReport): Table[] {
  return [
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
  ];
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
