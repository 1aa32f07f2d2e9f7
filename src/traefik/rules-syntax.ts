// The expression language of a Traefik rule. Traefik hands the rule to Go's parser.ParseExpr and
// walks the result with vulcand/predicate, which only understands `&&`, `||`, `!`, parentheses and
// calls whose arguments are string literals. This reads exactly that subset of Go, with Go's tokens
// (comments, automatic semicolons at line ends); everything else is an error, as in Traefik.
import { RuleScanner, RuleSyntaxError, type TokenType, checkSourceText, describe } from './rules-scanner.ts';
import { MAX_RULE_LENGTH, MAX_RULE_MATCHERS, MAX_RULE_NESTING } from '../model/limits.ts';

/** A matcher as Traefik's rules.Tree holds it, with `!` already pushed down to it (rules.Tree's `Not`). */
export interface Matcher {
  /** Canonical name (`Host`, whatever case the rule used). */
  readonly name: string;
  /** Decoded Go string arguments. */
  readonly args: readonly string[];
  readonly negated: boolean;
}

/** The rule with every `!` pushed down to the matchers, as Traefik's rules.Tree holds it. */
export type RuleTree =
  | { readonly kind: 'and' | 'or'; readonly left: RuleTree; readonly right: RuleTree }
  | { readonly kind: 'matcher'; readonly matcher: Matcher };

export type RuleSyntaxParse =
  | {
      readonly ok: true;
      readonly tree: RuleTree;
      /**
       * Matchers with arguments whose Go escapes made bytes that are not UTF-8 (Go regexps refuse
       * those), with those arguments' indexes. Few rules have any.
       */
      readonly notUtf8: ReadonlyMap<Matcher, ReadonlySet<number>> | undefined;
    }
  | { readonly ok: false; readonly error: string; readonly limit?: RuleLimit };

/** Which of route-server's bounds (model/limits.ts) a rule exceeded; Traefik itself has none. */
export type RuleLimit = 'rule-too-long' | 'rule-too-deep' | 'rule-too-many-matchers' | 'daemon-regexp-budget';

/**
 * Parses `rule` as Traefik's predicate parser would. `names` maps each spelling of a matcher name
 * to its canonical name; predicate resolves every name once the expression has parsed, before
 * Traefik checks any argument, so an unknown name is reported after any syntax error.
 */
export function parseRuleSyntax(rule: string, names: ReadonlyMap<string, string>): RuleSyntaxParse {
  if (rule.length > MAX_RULE_LENGTH) {
    return { ok: false, error: `rule is ${rule.length} characters long, route-server accepts at most ${MAX_RULE_LENGTH}`, limit: 'rule-too-long' };
  }
  try {
    checkSourceText(rule);
    return new RuleParser(rule, names).parse();
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      const message = `${position(rule, error.at)}: ${error.message}`;
      return error.limit === undefined ? { ok: false, error: message } : { ok: false, error: message, limit: error.limit };
    }
    throw error;
  }
}

/** Hostile rules must not make huge diagnostics. */
export function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function position(source: string, at: number): string {
  const before = source.slice(0, at);
  const line = before.split('\n').length;
  return `${line}:${at - before.lastIndexOf('\n')}`;
}

/** Recursive descent with Go's precedence (`!` > `&&` > `||`), pushing `!` down as it goes. */
class RuleParser {
  /** The scanner, standing at the current token. */
  private readonly token: RuleScanner;
  private depth = 0;
  private matchers = 0;
  private notUtf8: Map<Matcher, ReadonlySet<number>> | undefined;
  /** The first name no matcher has, written as in the rule. */
  private unsupported: string | undefined;

  constructor(
    source: string,
    private readonly names: ReadonlyMap<string, string>,
  ) {
    this.token = new RuleScanner(source);
  }

  parse(): RuleSyntaxParse {
    const tree = this.parseOr(false);
    // ParseExpr accepts one line end after the expression, nothing else.
    if (this.at(';') && this.token.text === '\n') this.advance();
    if (!this.at('eof')) this.fail(`expected end of rule, found ${describe(this.token)}`);
    if (this.unsupported !== undefined) return { ok: false, error: `unsupported function: ${clip(this.unsupported, 100)}` };
    return { ok: true, tree, notUtf8: this.notUtf8 };
  }

  private advance(): void {
    this.token.next();
  }

  /** The current token's type; a method so narrowing does not outlive `advance()`. */
  private at(type: TokenType): boolean {
    return this.token.type === type;
  }

  private fail(message: string, at = this.token.at, limit?: RuleLimit): never {
    throw new RuleSyntaxError(at, message, limit);
  }

  // Negation swaps the operator (De Morgan, as rules/parser.go `invert` does) and reaches the calls.
  private parseOr(negated: boolean): RuleTree {
    let left = this.parseAnd(negated);
    while (this.at('||')) {
      this.advance();
      left = { kind: negated ? 'and' : 'or', left, right: this.parseAnd(negated) };
    }
    return left;
  }

  private parseAnd(negated: boolean): RuleTree {
    let left = this.parseUnary(negated);
    while (this.at('&&')) {
      this.advance();
      left = { kind: negated ? 'or' : 'and', left, right: this.parseUnary(negated) };
    }
    return left;
  }

  private parseUnary(negated: boolean): RuleTree {
    if (!this.at('!')) return this.parsePrimary(negated);
    this.enter();
    this.advance();
    const operand = this.parseUnary(!negated);
    this.depth--;
    return operand;
  }

  private parsePrimary(negated: boolean): RuleTree {
    if (this.at('ident')) return this.parseCall(negated);
    if (!this.at('(')) {
      this.fail(this.at('string') ? 'expected a matcher, found a string' : `expected a matcher, found ${describe(this.token)}`);
    }
    this.enter();
    this.advance();
    const inner = this.parseOr(negated);
    if (!this.at(')')) this.fail(`expected ')', found ${describe(this.token)}`);
    this.advance();
    this.depth--;
    return inner;
  }

  private enter(): void {
    if (++this.depth > MAX_RULE_NESTING) this.fail(`rule nests deeper than ${MAX_RULE_NESTING} levels`, this.token.at, 'rule-too-deep');
  }

  private parseCall(negated: boolean): RuleTree {
    const written = this.token.text;
    if (this.matchers++ >= MAX_RULE_MATCHERS) this.fail(`rule has more than ${MAX_RULE_MATCHERS} matchers`, this.token.at, 'rule-too-many-matchers');
    this.advance();
    if (!this.at('(')) this.fail(`expected '(' after ${written}, found ${describe(this.token)}`);
    this.advance();
    let args: string[] | undefined;
    let notUtf8: Set<number> | undefined;
    while (!this.at(')')) {
      if (!this.at('string')) {
        this.fail(
          this.at('ident')
            ? `arguments of ${written} must be quoted strings, found ${this.token.text}`
            : `expected a string argument to ${written}, found ${describe(this.token)}`,
        );
      }
      if (!this.token.validUtf8) (notUtf8 ??= new Set()).add(args?.length ?? 0);
      // Most calls have one argument: a literal holds it in one slot, where [] would reserve 17 on a push.
      if (args === undefined) args = [this.token.text];
      else args.push(this.token.text);
      this.advance();
      // Go accepts `f(x...)`; predicate ignores the ellipsis, so Traefik does too.
      const spread = this.at('...');
      if (spread) this.advance();
      if (this.at(',')) {
        this.advance();
        if (spread) break;
        continue;
      }
      if (this.at(')')) break;
      const newline = this.at(';') && this.token.text === '\n' ? ' before newline' : '';
      this.fail(`missing ','${newline} in argument list of ${written}, found ${describe(this.token)}`);
    }
    if (!this.at(')')) this.fail(`expected ')' after the arguments of ${written}, found ${describe(this.token)}`);
    this.advance();
    const name = this.names.get(written);
    if (name === undefined) this.unsupported ??= written;
    const matcher: Matcher = { name: name ?? written, args: args ?? [], negated };
    if (notUtf8 !== undefined) (this.notUtf8 ??= new Map()).set(matcher, notUtf8);
    return { kind: 'matcher', matcher };
  }
}
