// Splits a template into literal text and placeholders once, so rendering is a walk over parts.
// A placeholder is `{` followed by [A-Za-z_]; every other brace is literal, which lets JSON
// bodies be written as-is, and `{{` is a literal `{`.
import { TemplateError } from "@/lib/templates/errors";
import { parseExpression } from "@/lib/templates/expression";
import type { Expression } from "@/lib/templates/expression";

export interface Placeholder {
  readonly expression: Expression;
  /** The placeholder without braces, as written: "body.items.0.id". */
  readonly text: string;
  /** Index of its `{` in the source. */
  readonly position: number;
}

/** Literal text is a plain string; adjacent literals are already merged. */
export type TemplatePart = string | Placeholder;

export interface ParsedTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  readonly placeholders: readonly Placeholder[];
}

const OPEN = 0x7b;
const CLOSE = 0x7d;

function isIdentifierStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

// Whitespace, controls and braces end an expression: a placeholder never spans them, so a stray
// `{word` in prose is reported where it starts instead of swallowing the text up to a later `}`.
function endsExpression(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === OPEN || code === 0x2028 || code === 0x2029;
}

function scanPlaceholder(source: string, open: number): { text: string; end: number } {
  let index = open + 1;
  while (index < source.length) {
    const code = source.charCodeAt(index);
    if (code === CLOSE) return { text: source.slice(open + 1, index), end: index + 1 };
    if (endsExpression(code)) break;
    index += 1;
  }
  const partial = source.slice(open, Math.min(index, open + 40));
  throw new TemplateError("syntax", `unclosed placeholder "${partial}" at position ${open}: close it with "}" or write "{{" for a literal "{"`, {
    variable: partial.slice(1),
    position: open,
  });
}

/** Parses `source`; throws TemplateError naming the first bad placeholder. */
export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const placeholders: Placeholder[] = [];
  let literal = "";
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf("{", index);
    if (open === -1) {
      literal += source.slice(index);
      break;
    }
    literal += source.slice(index, open);
    const next = source.charCodeAt(open + 1);
    if (next === OPEN || !isIdentifierStart(next)) {
      literal += "{";
      index = next === OPEN ? open + 2 : open + 1;
      continue;
    }
    const { text, end } = scanPlaceholder(source, open);
    const placeholder: Placeholder = Object.freeze({ expression: parseExpression(text, open), text, position: open });
    if (literal !== "") parts.push(literal);
    literal = "";
    parts.push(placeholder);
    placeholders.push(placeholder);
    index = end;
  }
  if (literal !== "") parts.push(literal);
  return Object.freeze({ source, parts: Object.freeze(parts), placeholders: Object.freeze(placeholders) });
}
