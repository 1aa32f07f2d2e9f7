// The status page's whole stylesheet, inline (hosts may be air-gapped; the CSP allows it by hash).
// System fonts only. Below 48em each table row becomes a block of "column: value" lines, so a
// narrow window never needs horizontal scrolling; long names and URLs wrap anywhere.

export const STATUS_STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --muted: #6e7781; --line: #d0d7de; --head: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --ok: #3fb950; --warn: #d29922; --bad: #f85149; --muted: #8b949e; --line: #30363d; --head: #161b22; } }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 0 1rem 2rem; max-width: 110rem; }
header { padding: .5rem 0; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.4rem; margin: .3rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
#status { padding: 0 .4rem; border: 1px solid currentColor; border-radius: .3rem; }
form { margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
input[type=search] { flex: 1 1 16rem; min-width: 0; font: inherit; padding: .25rem .4rem; }
nav a { margin-right: .8rem; }
dl { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
#reasons li { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.2rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th, tr.group th { background: var(--head); }
tr.group th { font-weight: 600; }
.line { display: block; }
.tone-ok { color: var(--ok); }
.tone-warn { color: var(--warn); }
.tone-bad { color: var(--bad); font-weight: 600; }
.tone-muted, .muted { color: var(--muted); }
.count { font-weight: normal; color: var(--muted); }
[hidden] { display: none !important; }
@media (max-width: 48em) {
  thead { position: absolute; left: -10000px; }
  table, caption, tbody, tfoot, tr, td, tr.group th { display: block; width: auto; }
  tr { border: 1px solid var(--line); margin-bottom: .5rem; }
  tr.group { border: 0; }
  td { border: 0; border-bottom: 1px dotted var(--line); }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
`;
