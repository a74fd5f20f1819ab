// Save-time rules on what a template may hold in a given field, beyond its mode's syntax:
// - a credential header or query parameter (lib/secrets/credential-names.ts) takes its credential
//   from `{secret:…}` (sealed, masked in every record) or from `auth`, never as literal text or
//   from `{var.…}`/`{env:…}`, which are kept and shown in clear. Literal text may only frame it:
//   a scheme word ("Bearer "), cookie names ("sid=") and "; " separators;
// - request data may not choose a URL's scheme, userinfo, host or port, nor an MQTT client id.
import type { GuardedTemplateField, TemplateGuard } from "@/lib/destinations/kinds";
import { isRequestExpression, parseTemplate, requestPlaceholderInOrigin, type ParsedTemplate, type TemplateIssue } from "@/lib/templates";

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

function requestDataIssue(field: string, parsed: ParsedTemplate, guard: Exclude<TemplateGuard, "credential">): TemplateIssue | undefined {
  const found = guard === "target_url" ? requestPlaceholderInOrigin(parsed) : parsed.placeholders.find((placeholder) => isRequestExpression(placeholder.expression));
  if (!found) return undefined;
  const why =
    guard === "target_url"
      ? "may not choose the scheme, host or port of this URL; use it in the path or query instead"
      : "may not be used here: this field names the connection, and a sender could take another client's identity";
  return { field, variable: found.text, position: found.position, message: `{${found.text}} is request data and ${why}` };
}

function guardIssue({ field, source, guard }: GuardedTemplateField): TemplateIssue | undefined {
  if (!guard) return undefined;
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(source);
  } catch {
    // An unparsable template is reported by validateTemplates with its position.
    return undefined;
  }
  return guard === "credential" ? credentialIssue(field, parsed) : requestDataIssue(field, parsed, guard);
}

/** One issue per field that breaks its guard. */
export function saveGuardIssues(fields: readonly GuardedTemplateField[]): TemplateIssue[] {
  return fields.flatMap((field) => guardIssue(field) ?? []);
}
