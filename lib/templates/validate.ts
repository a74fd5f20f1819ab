// Save-time checks: every templated field of a destination config is parsed and planned for
// its mode, and the variables and secrets it names are listed so the caller can check them.
import { TemplateError } from "@/lib/templates/errors";
import { planForMode } from "@/lib/templates/mode-plan";
import type { TemplateMode, TemplateModeOptions } from "@/lib/templates/modes";
import { parseTemplate } from "@/lib/templates/parse";
import type { ParsedTemplate } from "@/lib/templates/parse";

/** One templated field of a config: where it is (for messages), its source, and its mode. */
export interface TemplateField extends TemplateModeOptions {
  /** Dotted path for error messages, e.g. "config.headers.X-Signature". */
  field: string;
  source: string;
  mode: TemplateMode;
}

export interface TemplateIssue {
  /** The key given in `fields`, e.g. "config.headers.X-Sig". */
  field: string;
  /** The placeholder without braces, e.g. "foo" or "secret:API_KEY". */
  variable?: string;
  position?: number;
  message: string;
}

export interface ValidateTemplatesOptions {
  /** Variables the callback defines; when given, `{var.X}` for any other X is an issue. */
  knownVars?: Iterable<string>;
  /** Secrets that exist; when given, `{secret:X}` for any other X is an issue. */
  knownSecrets?: Iterable<string>;
}

/** Parses `source` and checks it for `mode`; throws TemplateError. */
export function validateTemplate(source: string, mode: TemplateMode, options?: TemplateModeOptions): ParsedTemplate {
  const parsed = parseTemplate(source);
  planForMode(parsed, mode, options);
  return parsed;
}

function toParsed(template: string | ParsedTemplate): ParsedTemplate {
  return typeof template === "string" ? parseTemplate(template) : template;
}

/** Names of the secrets `{secret:NAME}` refers to, once each; load these before rendering. */
export function referencedSecrets(template: string | ParsedTemplate): string[] {
  const names = toParsed(template).placeholders.flatMap(({ expression }) => (expression.kind === "secret" ? [expression.name] : []));
  return [...new Set(names)];
}

/** Names of the callback variables `{var.NAME}` refers to, once each. */
export function referencedVars(template: string | ParsedTemplate): string[] {
  const names = toParsed(template).placeholders.flatMap(({ expression }) => (expression.kind === "var" ? [expression.name] : []));
  return [...new Set(names)];
}

function undefinedReferences(field: string, parsed: ParsedTemplate, options: ValidateTemplatesOptions): TemplateIssue[] {
  const vars = options.knownVars ? new Set(options.knownVars) : undefined;
  const secrets = options.knownSecrets ? new Set(options.knownSecrets) : undefined;
  const issues: TemplateIssue[] = [];
  for (const { expression, text, position } of parsed.placeholders) {
    if (expression.kind === "simple" && expression.name === "delivery_ids") {
      issues.push({ field, variable: text, position, message: "{delivery_ids} is only available in a callback's acknowledgement; use {delivery_id}" });
    }
    if (expression.kind === "var" && vars && !vars.has(expression.name)) {
      issues.push({ field, variable: text, position, message: `variable {${text}} is not defined on this callback` });
    }
    if (expression.kind === "secret" && secrets && !secrets.has(expression.name)) {
      issues.push({ field, variable: text, position, message: `secret {${text}} does not exist` });
    }
  }
  return issues;
}

function issueOf(field: string, error: TemplateError): TemplateIssue {
  return {
    field,
    message: error.message,
    ...(error.variable === undefined ? {} : { variable: error.variable }),
    ...(error.position === undefined ? {} : { position: error.position }),
  };
}

/** One issue per broken field (its first error), plus one per undefined var or secret. */
export function validateTemplates(fields: readonly TemplateField[], options: ValidateTemplatesOptions = {}): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const { field, source, mode, urlProtocols } of fields) {
    try {
      const parsed = validateTemplate(source, mode, { urlProtocols });
      issues.push(...undefinedReferences(field, parsed, options));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      issues.push(issueOf(field, error));
    }
  }
  return issues;
}
