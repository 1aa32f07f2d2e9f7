// GET /: the status page as complete server-side HTML (readable without JavaScript, in a terminal
// browser too), its inline style and script allowed by hash in the Content-Security-Policy and
// nothing else. Every string of the model may come from a tenant's labels: all of it goes through
// escapeHtml, text and attributes alike, and nothing of it ever reaches the script as code.

import { createHash } from 'node:crypto';

import { SECTIONS, type StatusPage } from './status-model.ts';
import type { Cell, Row, Table } from './status-table.ts';
import { STATUS_SCRIPT } from './status-script.ts';
import { STATUS_STYLE } from './status-style.ts';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

const sha256 = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/**
 * Only this page's own script and style run; the live stream and the filter form go to the page's
 * own origin; no frame, plugin, base URL or outside resource. The icon is an empty data: URL, so
 * the browser does not ask for /favicon.ico (a 404 in the console).
 */
export const STATUS_CSP = [
  "default-src 'none'",
  `script-src ${sha256(STATUS_SCRIPT)}`,
  `style-src ${sha256(STATUS_STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const STATUS_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': STATUS_CSP,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text and for quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * Case-insensitive substring of any key; what the page's script does too (status-script.ts). Rows
 * without keys (port ranges, sinks) belong to no daemon or container and always show.
 */
export function rowMatches(row: Row, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || row.keys.length === 0 || row.keys.some((key) => key.toLowerCase().includes(needle));
}

/** Ages as the script writes them, so the first render and the live one read the same. */
export function ageText(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export function statusHtml(page: StatusPage, filter = ''): string {
  const e = escapeHtml;
  const nav = SECTIONS.map(([id, title]) => `<a href="#${id}">${e(title)}</a>`).join(' ');
  const facts = page.facts.map((f) => `<div><dt>${e(f.term)}</dt><dd${f.cell.tone ? ` class="tone-${f.cell.tone}"` : ''}>${cellContent(f.cell, page.now)}</dd></div>`).join('');
  const reasons = page.reasons.map((r) => `<li>${e(r)}</li>`).join('');
  const sections = SECTIONS.map(
    ([id, title]) =>
      `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${e(title)}</h2>\n${page.tables
        .filter((t) => t.section === id)
        .map((t) => tableHtml(t, filter, page.now))
        .join('\n')}</section>`,
  ).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>route-server: ${e(page.status)}</title>
<link rel="icon" href="data:,">
<style>${STATUS_STYLE}</style>
</head>
<body data-now="${page.now}">
<header>
<h1>route-server <span id="status" class="tone-${e(toneOf(page.status))}">${e(page.status)}</span></h1>
<p id="live" class="muted" role="status">Rendered by the server; live updates need JavaScript.</p>
<form method="get" action="/" role="search"><label for="q">Filter by host, daemon or container</label>
<input id="q" name="q" type="search" value="${e(filter)}" autocomplete="off" spellcheck="false"> <button type="submit">Filter</button></form>
<nav>${nav}</nav>
</header>
<main>
<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
<dl id="facts">${facts}</dl>
<ul id="reasons">${reasons}</ul>
</section>
${sections}
</main>
<script>${STATUS_SCRIPT}</script>
</body>
</html>
`;
}

function toneOf(status: StatusPage['status']): string {
  return status === 'ok' ? 'ok' : status === 'degraded' ? 'warn' : 'bad';
}

function tableHtml(table: Table, filter: string, now: number): string {
  const e = escapeHtml;
  const head = table.columns.map((c) => `<th scope="col">${e(c)}</th>`).join('');
  let total = 0;
  let shown = 0;
  const bodies = table.groups.map((group) => {
    const rows = group.rows.filter((row) => {
      total++;
      return rowMatches(row, filter);
    });
    shown += rows.length;
    const title = group.title === null ? '' : `<tr class="group"><th scope="rowgroup" colspan="${table.columns.length}">${e(group.title)}</th></tr>`;
    return `<tbody${rows.length === 0 ? ' hidden' : ''}>${title}${rows.map((row) => rowHtml(row, table.columns, now)).join('')}</tbody>`;
  });
  const count = shown === total ? `${total}` : `${shown} of ${total}`;
  return `<table id="${e(table.id)}" data-empty="${e(table.empty)}"><caption>${e(table.caption)} <span class="count">(${count})</span></caption>
<thead><tr>${head}</tr></thead>
${bodies.join('\n')}
<tfoot${shown > 0 ? ' hidden' : ''}><tr><td colspan="${table.columns.length}">${e(total === 0 ? table.empty : 'Nothing matches the filter.')}</td></tr></tfoot>
</table>`;
}

function rowHtml(row: Row, columns: readonly string[], now: number): string {
  const e = escapeHtml;
  // The keys ride along for the script's filter before live data arrives (a typed filter has no newline).
  const cells = row.cells.map((cell, i) => `<td data-label="${e(columns[i] ?? '')}"${cell.tone ? ` class="tone-${cell.tone}"` : ''}>${cellContent(cell, now)}</td>`);
  return `<tr${row.keys.length === 0 ? '' : ` data-keys="${e(row.keys.join('\n'))}"`}>${cells.join('')}</tr>`;
}

function cellContent(cell: Cell, now: number): string {
  const e = escapeHtml;
  if (cell.time !== undefined) return `<time datetime="${e(cell.time)}" title="${e(cell.time)}">${e(ageText(cell.time, now))}</time>`;
  if (cell.lines !== undefined) return cell.lines.map((line) => `<span class="line">${e(line)}</span>`).join('');
  return e(cell.text);
}
