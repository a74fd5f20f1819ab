// QStash's `Upstash-Retry-Delay` expressions (qstash/features/retry.mdx "Custom Retry Delay",
// openapi.yaml `Upstash-Retry-Delay`): numbers, + - * /, parentheses, the variable `retried` (0 for
// the first retry) and the functions pow, exp, sqrt, abs, floor, ceil, round, min, max; the value
// is the delay in milliseconds. A small recursive-descent parser, never eval: the text is user
// input. The app checks an expression with it at save time; the local QStash server runs it.

export type RetryDelayExpression = { ok: true; evaluate(retried: number): number } | { ok: false; message: string };

type Node = (retried: number) => number;

/** Arities as openapi.yaml lists them: `min(x, y)` and `max(x, y)` take exactly two. */
const functions: Record<string, { arity: number; apply: (args: number[]) => number }> = {
  pow: { arity: 2, apply: ([x, y]) => Math.pow(x, y) },
  exp: { arity: 1, apply: ([x]) => Math.exp(x) },
  sqrt: { arity: 1, apply: ([x]) => Math.sqrt(x) },
  abs: { arity: 1, apply: ([x]) => Math.abs(x) },
  floor: { arity: 1, apply: ([x]) => Math.floor(x) },
  ceil: { arity: 1, apply: ([x]) => Math.ceil(x) },
  round: { arity: 1, apply: ([x]) => Math.round(x) },
  min: { arity: 2, apply: ([x, y]) => Math.min(x, y) },
  max: { arity: 2, apply: ([x, y]) => Math.max(x, y) },
};

const maxExpressionLength = 256;
/** QStash caps every retry delay at one day (retry.mdx); a longer value waits a day. */
const maxDelayMs = 86_400_000;

class ExpressionError extends Error {}

type Operator = (left: number, right: number) => number;

const additive = new Map<string, Operator>([
  ["+", (a, b) => a + b],
  ["-", (a, b) => a - b],
]);
const multiplicative = new Map<string, Operator>([
  ["*", (a, b) => a * b],
  ["/", (a, b) => a / b],
]);

const tokenPattern = /\s+|\d+(?:\.\d+)?|[A-Za-z_]\w*|[-+*/(),]/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    const at = tokenPattern.lastIndex;
    const match = tokenPattern.exec(source);
    if (!match) throw new ExpressionError(`unexpected character "${source[at]}" at position ${at + 1}`);
    if (match[0].trim() !== "") tokens.push(match[0]);
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Node {
    if (this.tokens.length === 0) throw new ExpressionError("the expression is empty");
    const node = this.sum();
    if (this.position < this.tokens.length) throw new ExpressionError(`unexpected "${this.tokens[this.position]}"`);
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.position];
    if (token === undefined) throw new ExpressionError(expected === undefined ? "the expression ends too early" : `expected "${expected}" at the end`);
    if (expected !== undefined && token !== expected) throw new ExpressionError(`expected "${expected}", got "${token}"`);
    this.position += 1;
    return token;
  }

  private sum(): Node {
    return this.leftAssociative(additive, () => this.product());
  }

  private product(): Node {
    return this.leftAssociative(multiplicative, () => this.unary());
  }

  /** `operand (operator operand)*`, folded left to right. */
  private leftAssociative(operators: ReadonlyMap<string, Operator>, operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const apply = operators.get(this.peek() ?? "");
      if (apply === undefined) return left;
      this.take();
      const [l, r] = [left, operand()];
      left = (n) => apply(l(n), r(n));
    }
  }

  private unary(): Node {
    if (this.peek() === "-") {
      this.take();
      const inner = this.unary();
      return (n) => -inner(n);
    }
    if (this.peek() === "+") this.take();
    return this.primary();
  }

  private primary(): Node {
    const token = this.take();
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (token === "(") {
      const inner = this.sum();
      this.take(")");
      return inner;
    }
    if (token === "retried") return (n) => n;
    if (/^[A-Za-z_]/.test(token)) return this.call(token);
    throw new ExpressionError(`unexpected "${token}"`);
  }

  private call(name: string): Node {
    const fn = Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (!fn) throw new ExpressionError(`unknown name "${name}"; use retried and pow, exp, sqrt, abs, floor, ceil, round, min, max`);
    this.take("(");
    const args: Node[] = [this.sum()];
    while (this.peek() === ",") {
      this.take();
      args.push(this.sum());
    }
    this.take(")");
    if (args.length !== fn.arity) throw new ExpressionError(`${name} takes ${fn.arity} argument${fn.arity === 1 ? "" : "s"}, got ${args.length}`);
    return (n) => fn.apply(args.map((arg) => arg(n)));
  }
}

/**
 * `evaluate(retried)` is the delay before the next attempt, in whole milliseconds, as the local
 * QStash applies it: a negative or undefined result (sqrt(-1), 0/0) waits 0 ms, and anything
 * above a day waits a day.
 */
export function parseRetryDelayExpression(text: string): RetryDelayExpression {
  if (text.length > maxExpressionLength) return { ok: false, message: `the expression is ${text.length} characters; at most ${maxExpressionLength}` };
  let node: Node;
  try {
    node = new Parser(tokenize(text)).parse();
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, message: error.message };
    throw error;
  }
  return {
    ok: true,
    evaluate: (retried) => {
      const value = node(retried);
      if (Number.isNaN(value) || value <= 0) return 0;
      return Math.round(Math.min(value, maxDelayMs));
    },
  };
}
