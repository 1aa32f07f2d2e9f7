// Reading the project README as data, so that tests can hold its examples and tables to the code:
// a README that drifts from what the program does is a defect an operator pays for.

import { readFileSync } from 'node:fs';

export const README_PATH = new URL('../../README.md', import.meta.url);

export function readReadme(): string {
  return readFileSync(README_PATH, 'utf8');
}

export interface FencedBlock {
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

/** Every fenced code block (```lang … ```), in order, its text with the final newline kept. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    blocks.push({ lang: open[1] as string, text: body.length === 0 ? '' : `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

/** The rows of the first pipe table after `marker`, as trimmed cells (header and rule excluded). */
export function tableAfter(markdown: string, marker: string): string[][] {
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`README has no ${JSON.stringify(marker)}`);
  const lines = markdown.slice(at).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && (lines[i] as string).startsWith('|'); i++) rows.push(splitRow(lines[i] as string));
  return rows;
}

/** Cells of `| a | b\|c | d |`: an escaped pipe stays in its cell. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const char = line[i] as string;
    if (char === '\\' && line[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  return cells;
}
