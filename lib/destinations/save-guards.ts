// Save-time rules on what a template may hold in a given field, beyond its mode's syntax:
// - a credential header or query parameter (lib/secrets/credential-names.ts) takes its credential
//   from `{secret:…}` (sealed, masked in every record) or from `auth`, never as literal text or
//   from `{var.…}`/`{env:…}`, which are kept and shown in clear. Literal text may only frame it:
//   a scheme word ("Bearer "), cookie names ("sid=") and "; " separators. The same holds for a
//   credential parameter written into a URL's own query ("?api_key=…");
// - request data may not choose a URL's scheme, userinfo, host or port, nor an MQTT client id.
import type { GuardedTemplateField, TemplateGuard } from "@/lib/destinations/kinds";
import { isRequestExpression, parseTemplate, requestPlaceholderInOrigin, type ParsedTemplate, type TemplateIssue } from "@/lib/templates";
import { isCredentialQueryName } from "@/lib/secrets/credential-names";
import { redactedValue } from "@/lib/log";

const framingLiteral = /^\s*(?:;\s*)?(?:[A-Za-z][A-Za-z0-9._-]*(?:[ \t]+|=))?$/;
const useSecretInstead = "use config.auth (basic, bearer or api_key) or a {secret:NAME} placeholder";

function credentialIssue(field: string, parsed: ParsedTemplate): TemplateIssue | undefined {
  const inClear = parsed.placeholders.find(({ expression }) => expression.kind === "var" || expression.kind === "env");
  if (inClear) {
    const { text, position } = inClear;
    return { field, variable: text, position, message: `{${text}} is kept in clear and cannot hold a credential here: ${useSecretInstead}` };
  }
  const literal = parsed.parts.find((part) => typeof part === "string" && !framingLiteral.test(part));
  if (literal === undefined) return undefined;
  return { field, message: `a credential may not be written literally here: ${useSecretInstead}` };
}

interface QueryPair {
  name: string;
  value: string;
  /** Where `value` starts in the template's source. */
  valueStart: number;
}

/** Each `name=value` of a URL template's query, as source text; delimiters inside a placeholder do not count. */
function queryPairs(parsed: ParsedTemplate): QueryPair[] {
  const { source } = parsed;
  const inside = new Set<number>();
  for (const { position, text } of parsed.placeholders) for (let index = position; index < position + text.length + 2; index += 1) inside.add(index);
  // The "?" that starts the query and each "&" in it; the query ends at a "#" or the end.
  const bounds: number[] = [];
  let end = source.length;
  for (let index = 0; index < source.length; index += 1) {
    if (inside.has(index)) continue;
    const char = source[index];
    if (char === "#") {
      end = index;
      break;
    }
    if (bounds.length === 0 ? char === "?" : char === "&") bounds.push(index);
  }
  const ends = [...bounds.slice(1), end];
  return bounds.flatMap((start, index) => {
    const pair = source.slice(start + 1, ends[index]);
    const equals = pair.indexOf("=");
    return equals === -1 ? [] : [{ name: pair.slice(0, equals), value: pair.slice(equals + 1), valueStart: start + 1 + equals + 1 }];
  });
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}

/** A credential written into a URL's own query (`?api_key=…`) is held to the same rule as config.query. */
function queryPairIssue(field: string, { name, value }: QueryPair): TemplateIssue | undefined {
  if (!isCredentialQueryName(decodedName(name))) return undefined;
  let parsedValue: ParsedTemplate;
  try {
    parsedValue = parseTemplate(value);
  } catch {
    return undefined;
  }
  const issue = credentialIssue(field, parsedValue);
  return issue && { field, message: `query parameter ${decodedName(name)}: ${issue.message}` };
}

function urlQueryCredentialIssue(field: string, parsed: ParsedTemplate): TemplateIssue | undefined {
  for (const pair of queryPairs(parsed)) {
    const issue = queryPairIssue(field, pair);
    if (issue) return issue;
  }
  return undefined;
}

/** The URL template with each credential its own query holds against the rule (a row saved before it) as "***". */
export function maskUrlQueryCredentials(source: string): string {
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(source);
  } catch {
    return source;
  }
  let masked = source;
  for (const pair of queryPairs(parsed).reverse()) {
    if (queryPairIssue("", pair)) masked = `${masked.slice(0, pair.valueStart)}${redactedValue}${masked.slice(pair.valueStart + pair.value.length)}`;
  }
  return masked;
}

function requestDataIssue(field: string, parsed: ParsedTemplate, guard: Exclude<TemplateGuard, "credential">): TemplateIssue | undefined {
  const found = guard === "target_url" ? requestPlaceholderInOrigin(parsed) : parsed.placeholders.find((placeholder) => isRequestExpression(placeholder.expression));
  if (!found) return undefined;
  const why =
    guard === "target_url"
      ? "may not choose the scheme, host or port of this URL; use it in the path or query instead"
      : "may not be used here: this field names the connection, and a sender could take another client's identity";
  return { field, variable: found.text, position: found.position, message: `{${found.text}} is request data and ${why}` };
}

function guardIssue({ field, source, guard, queryCredentials }: GuardedTemplateField): TemplateIssue | undefined {
  if (!guard && !queryCredentials) return undefined;
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(source);
  } catch {
    // An unparsable template is reported by validateTemplates with its position.
    return undefined;
  }
  if (guard === "credential") return credentialIssue(field, parsed);
  return (guard ? requestDataIssue(field, parsed, guard) : undefined) ?? (queryCredentials ? urlQueryCredentialIssue(field, parsed) : undefined);
}

/** One issue per field that breaks its guard. */
export function saveGuardIssues(fields: readonly GuardedTemplateField[]): TemplateIssue[] {
  return fields.flatMap((field) => guardIssue(field) ?? []);
}
