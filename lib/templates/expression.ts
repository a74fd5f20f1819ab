// Turns the text between `{` and `}` into a typed expression, rejecting unknown variables and
// names that could never resolve, so mistakes surface at save time rather than per delivery.
import { TemplateError } from "@/lib/templates/errors";

export type SimpleVariable =
  "uuid" | "timestamp" | "timestamp_ms" | "callback_id" | "destination_id" | "event_id" | "delivery_id" | "delivery_ids" | "attempt" | "method" | "path" | "original_payload";

export type Expression =
  | { kind: "simple"; name: SimpleVariable }
  | { kind: "query"; name: string }
  /** `name` is lower-cased: header lookups are case-insensitive. */
  | { kind: "header"; name: string }
  /** An empty path is the whole body. */
  | { kind: "body"; path: readonly string[] }
  | { kind: "var"; name: string }
  | { kind: "env"; name: string }
  | { kind: "secret"; name: string };

const simpleVariables: ReadonlySet<string> = new Set<SimpleVariable>([
  "uuid",
  "timestamp",
  "timestamp_ms",
  "callback_id",
  "destination_id",
  "event_id",
  "delivery_id",
  "delivery_ids",
  "attempt",
  "method",
  "path",
  "original_payload",
]);

function isSimpleVariable(text: string): text is SimpleVariable {
  return simpleVariables.has(text);
}

/** Names for `{var.NAME}`; the callback variables schema should accept no more than this. */
const templateVarNamePattern = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** Names for `{secret:NAME}`; the secrets API should accept no more than this. */
const templateSecretNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
/** Only this environment is exposed to templates; lib/env.ts collects the same prefix. */
const templateEnvPrefix = "TRIGGER_VAR_";
const envNamePattern = /^TRIGGER_VAR_[A-Za-z0-9_]{1,128}$/;
// RFC 9110 token characters: anything else could never match a received header.
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function invalidName(text: string, position: number, what: string): TemplateError {
  return new TemplateError("invalid_name", `invalid ${what} in {${text}}`, { variable: text, position });
}

function parsePrefixed(prefix: string, rest: string, text: string, position: number): Expression {
  switch (prefix) {
    case "query":
      if (rest === "") throw invalidName(text, position, "query parameter name");
      return { kind: "query", name: rest };
    case "header":
      if (!headerNamePattern.test(rest)) throw invalidName(text, position, "header name");
      return { kind: "header", name: rest.toLowerCase() };
    case "body": {
      const path = rest.split(".");
      if (path.includes("")) {
        throw new TemplateError("invalid_name", `empty path segment in {${text}}`, { variable: text, position });
      }
      return { kind: "body", path };
    }
    case "var":
      if (!templateVarNamePattern.test(rest)) throw invalidName(text, position, "variable name");
      return { kind: "var", name: rest };
    default:
      throw unknownVariable(text, position);
  }
}

function parseEnv(name: string, text: string, position: number): Expression {
  if (!name.startsWith(templateEnvPrefix)) {
    throw new TemplateError("forbidden_env", `{${text}} is not allowed: templates may only read environment variables whose names start with ${templateEnvPrefix}`, {
      variable: text,
      position,
    });
  }
  if (!envNamePattern.test(name)) throw invalidName(text, position, "environment variable name");
  return { kind: "env", name };
}

function unknownVariable(text: string, position: number): TemplateError {
  return new TemplateError("unknown_variable", `unknown variable {${text}}`, { variable: text, position });
}

/** `text` is the placeholder without braces; `position` is where its `{` sits in the source. */
export function parseExpression(text: string, position: number): Expression {
  if (isSimpleVariable(text)) return { kind: "simple", name: text };
  if (text === "body") return { kind: "body", path: [] };
  const colon = text.indexOf(":");
  const dot = text.indexOf(".");
  if (colon !== -1 && (dot === -1 || colon < dot)) {
    const prefix = text.slice(0, colon);
    const name = text.slice(colon + 1);
    if (prefix === "env") return parseEnv(name, text, position);
    if (prefix === "secret") {
      if (!templateSecretNamePattern.test(name)) throw invalidName(text, position, "secret name");
      return { kind: "secret", name };
    }
    throw unknownVariable(text, position);
  }
  if (dot !== -1) return parsePrefixed(text.slice(0, dot), text.slice(dot + 1), text, position);
  throw unknownVariable(text, position);
}
