// Where `run` and `render --out` put fragments: the file-name prefix, checked once here with the
// rule the writer itself enforces (fragment-name.ts), so both commands accept the same prefixes.

import { prefixProblem } from '../write/fragment-name.ts';
import { UsageError, type ParsedArgs } from './parse-args.ts';

export const DEFAULT_FILE_PREFIX = 'rs-';

export function filePrefixFrom(args: ParsedArgs): string {
  const prefix = args.get('file-prefix') ?? DEFAULT_FILE_PREFIX;
  const problem = prefixProblem(prefix);
  if (problem !== null) throw new UsageError(`Expected \`--file-prefix\` ${problem}, got ${JSON.stringify(prefix)}`);
  return prefix;
}
