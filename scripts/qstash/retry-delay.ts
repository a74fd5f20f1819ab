// Compiles an `Upstash-Retry-Delay` expression ("1000 * pow(2, retried)") into a function of the
// retry count. A small recursive-descent parser instead of eval: the header is caller input.
import type { RetryDelayFn } from "./types";

type Node = (retried: number) => number;

const functions: Record<string, { arity: [number, number]; apply: (args: number[]) => number }> = {
  pow: { arity: [2, 2], apply: ([a, b]) => Math.pow(a, b) },
  sqrt: { arity: [1, 1], apply: ([a]) => Math.sqrt(a) },
  abs: { arity: [1, 1], apply: ([a]) => Math.abs(a) },
  exp: { arity: [1, 1], apply: ([a]) => Math.exp(a) },
  floor: { arity: [1, 1], apply: ([a]) => Math.floor(a) },
  ceil: { arity: [1, 1], apply: ([a]) => Math.ceil(a) },
  round: { arity: [1, 1], apply: ([a]) => Math.round(a) },
  min: { arity: [1, 16], apply: (args) => Math.min(...args) },
  max: { arity: [1, 16], apply: (args) => Math.max(...args) },
};

const maxExpressionLength = 256;
const maxDelayMs = 86_400_000;

function tokenize(source: string): string[] {
  const tokens = source.match(/\s+|\d+(?:\.\d+)?|[A-Za-z_]+|[-+*/(),]|./g) ?? [];
  const meaningful = tokens.filter((token) => token.trim() !== "");
  const bad = meaningful.find((token) => !/^(\d+(\.\d+)?|[A-Za-z_]+|[-+*/(),])$/.test(token));
  if (bad !== undefined) throw new Error(`unexpected character "${bad}"`);
  return meaningful;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Node {
    const node = this.sum();
    if (this.position < this.tokens.length) throw new Error(`unexpected "${this.tokens[this.position]}"`);
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.position];
    if (token === undefined) throw new Error("unexpected end of expression");
    if (expected !== undefined && token !== expected) throw new Error(`expected "${expected}", got "${token}"`);
    this.position += 1;
    return token;
  }

  private sum(): Node {
    let left = this.product();
    while (this.peek() === "+" || this.peek() === "-") {
      const operator = this.take();
      const l = left;
      const right = this.product();
      left = operator === "+" ? (r) => l(r) + right(r) : (r) => l(r) - right(r);
    }
    return left;
  }

  private product(): Node {
    let left = this.unary();
    while (this.peek() === "*" || this.peek() === "/") {
      const operator = this.take();
      const l = left;
      const right = this.unary();
      left = operator === "*" ? (r) => l(r) * right(r) : (r) => l(r) / right(r);
    }
    return left;
  }

  private unary(): Node {
    if (this.peek() === "-") {
      this.take();
      const inner = this.unary();
      return (r) => -inner(r);
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
    if (token === "retried") return (r) => r;
    if (/^[A-Za-z_]+$/.test(token)) return this.call(token);
    throw new Error(`unexpected "${token}"`);
  }

  private call(name: string): Node {
    const fn = functions[name];
    if (!fn) throw new Error(`unknown name "${name}"`);
    this.take("(");
    const args: Node[] = [this.sum()];
    while (this.peek() === ",") {
      this.take();
      args.push(this.sum());
    }
    this.take(")");
    if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
      throw new Error(`${name} takes ${fn.arity.join("..")} arguments, got ${args.length}`);
    }
    return (r) => fn.apply(args.map((arg) => arg(r)));
  }
}

/** Throws with a readable reason when the expression is not supported. */
export function compileRetryDelay(expression: string): RetryDelayFn {
  if (expression.length > maxExpressionLength) throw new Error("expression is too long");
  const node = new Parser(tokenize(expression)).parse();
  return (retried) => {
    const value = node(retried);
    // A NaN or negative delay would make the timer fire at once; QStash caps delays at a day.
    if (Number.isNaN(value) || value < 0) return 0;
    return Math.min(value, maxDelayMs);
  };
}
