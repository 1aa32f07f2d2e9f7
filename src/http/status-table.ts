// The status page's building blocks: tables of text cells, and the few ways a value becomes a
// cell. Plain data, so the server's HTML and the page's script render the same thing.

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

export const text = (value: string | number | null | undefined, tone?: Cell['tone']): Cell =>
  value === null || value === undefined ? { text: '—', tone: 'muted' } : { text: String(value), ...(tone ? { tone } : {}) };
export const lines = (values: readonly string[], tone?: Cell['tone']): Cell =>
  values.length === 0 ? text(null) : { text: values.join('\n'), lines: values, ...(tone ? { tone } : {}) };
export const time = (iso: string | null): Cell => (iso === null ? { text: 'never', tone: 'muted' } : { text: iso, time: iso });
export const flag = (on: boolean, yes: string, no: string, bad: Cell['tone'] = 'bad'): Cell => (on ? { text: yes, tone: bad } : { text: no, tone: 'muted' });
