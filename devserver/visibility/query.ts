// Parser for the subset of Temporal's list filter language the project needs:
//   WorkflowType = 'x' AND (ExecutionStatus = 'Running' OR StartTime > '2024-01-01T00:00:00Z')
// Comparison operators = != < <= > >=, IN (...), BETWEEN a AND b, STARTS_WITH, IS [NOT] NULL,
// AND / OR / NOT and parentheses; an optional trailing ORDER BY is accepted and ignored.
import { InvalidArgumentError } from '../errors.ts';
import type { SearchValue, VisibilityFilter } from '../store/types.ts';

const TIME_FIELDS = new Set(['StartTime', 'CloseTime', 'ExecutionTime']);

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'paren' | 'comma'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        text += input[j];
        j++;
      }
      if (j >= input.length) throw new InvalidArgumentError(`invalid query: unterminated string in ${input}`);
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '`') {
      const j = input.indexOf('`', i + 1);
      if (j < 0) throw new InvalidArgumentError('invalid query: unterminated identifier');
      tokens.push({ kind: 'word', text: input.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', text: c });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', text: c });
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = input.slice(i, i + 2);
      if (['!=', '<=', '>=', '<>'].includes(two)) {
        tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: c });
        i++;
      }
    } else {
      const m = /^[A-Za-z0-9_.:+-]+/.exec(input.slice(i));
      if (!m) throw new InvalidArgumentError(`invalid query: unexpected '${c}'`);
      tokens.push({ kind: /^-?\d+(\.\d+)?$/.test(m[0]) ? 'number' : 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parse(): VisibilityFilter | undefined {
    if (this.tokens.length === 0 || this.isKeyword('ORDER')) return undefined;
    const expr = this.parseOr();
    if (this.isKeyword('ORDER')) this.pos = this.tokens.length;
    if (this.pos < this.tokens.length) throw new InvalidArgumentError(`invalid query: unexpected '${this.tokens[this.pos]!.text}'`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return !!t && t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw new InvalidArgumentError(`invalid query: expected ${word}`);
    this.pos++;
  }

  private parseOr(): VisibilityFilter {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): VisibilityFilter {
    let left = this.parseUnary();
    while (this.isKeyword('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): VisibilityFilter {
    if (this.isKeyword('NOT')) {
      this.pos++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    const t = this.peek();
    if (t?.kind === 'paren' && t.text === '(') {
      this.pos++;
      const inner = this.parseOr();
      const close = this.peek();
      if (close?.kind !== 'paren' || close.text !== ')') throw new InvalidArgumentError('invalid query: missing )');
      this.pos++;
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): VisibilityFilter {
    const fieldToken = this.peek();
    if (fieldToken?.kind !== 'word') throw new InvalidArgumentError('invalid query: expected a field name');
    this.pos++;
    const field = fieldToken.text;
    if (this.isKeyword('IS')) {
      this.pos++;
      const negate = this.isKeyword('NOT');
      if (negate) this.pos++;
      this.expectKeyword('NULL');
      const f: VisibilityFilter = { kind: 'isNull', field };
      return negate ? { kind: 'not', operand: f } : f;
    }
    let negate = false;
    if (this.isKeyword('NOT')) {
      negate = true;
      this.pos++;
    }
    let result: VisibilityFilter;
    if (this.isKeyword('IN')) {
      this.pos++;
      const open = this.peek();
      if (open?.kind !== 'paren' || open.text !== '(') throw new InvalidArgumentError('invalid query: expected ( after IN');
      this.pos++;
      const values: SearchValue[] = [];
      for (;;) {
        values.push(this.parseValue(field));
        const t = this.peek();
        this.pos++;
        if (t?.kind === 'comma') continue;
        if (t?.kind === 'paren' && t.text === ')') break;
        throw new InvalidArgumentError('invalid query: expected , or ) in IN list');
      }
      result = { kind: 'in', field, values };
    } else if (this.isKeyword('BETWEEN')) {
      this.pos++;
      const low = this.parseValue(field);
      this.expectKeyword('AND');
      result = { kind: 'between', field, low, high: this.parseValue(field) };
    } else if (this.isKeyword('STARTS_WITH')) {
      this.pos++;
      result = { kind: 'startsWith', field, prefix: String(this.parseValue(field)) };
    } else {
      const op = this.peek();
      if (op?.kind !== 'op') throw new InvalidArgumentError(`invalid query: expected an operator after ${field}`);
      this.pos++;
      result = { kind: 'compare', field, op: op.text as '=', value: this.parseValue(field) };
    }
    return negate ? { kind: 'not', operand: result } : result;
  }

  private parseValue(field: string): SearchValue {
    const t = this.peek();
    if (!t) throw new InvalidArgumentError('invalid query: expected a value');
    this.pos++;
    if (t.kind === 'number') return Number(t.text);
    if (t.kind === 'word') {
      const upper = t.text.toUpperCase();
      if (upper === 'TRUE') return true;
      if (upper === 'FALSE') return false;
      return t.text;
    }
    if (t.kind !== 'string') throw new InvalidArgumentError(`invalid query: unexpected '${t.text}'`);
    if (TIME_FIELDS.has(field)) {
      const ms = Date.parse(t.text);
      if (Number.isNaN(ms)) throw new InvalidArgumentError(`invalid query: ${field} needs a time, got '${t.text}'`);
      return ms;
    }
    return t.text;
  }
}

export function parseVisibilityQuery(query: string | undefined): VisibilityFilter | undefined {
  if (!query || !query.trim()) return undefined;
  return new Parser(tokenize(query)).parse();
}
