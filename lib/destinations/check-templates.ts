// Save-time template checks: syntax, known variables, allowed env names, existing secrets,
// `{var.…}` defined on the callback, and each field's guard (save-guards.ts). A template that cannot render is refused here (422 naming
// the field and the variable) rather than failing every delivery later.
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { GuardedTemplateField } from "@/lib/destinations/kinds";
import { saveGuardIssues } from "@/lib/destinations/save-guards";
import { missingSecrets } from "@/lib/secrets/manage-secrets";
import { referencedSecrets, referencedVars, validateTemplates, type TemplateIssue } from "@/lib/templates";

function safely<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    // An unparsable template is reported by validateTemplates with its position.
    return [];
  }
}

function toAppError(issues: TemplateIssue[], prefix: string): AppError {
  const described = issues.map((issue) => `${prefix}${issue.field}: ${issue.message}`);
  return new AppError("validation_failed", described.join("; "), { field: `${prefix}${issues[0]?.field ?? ""}` });
}

/**
 * Throws a 422 for the first broken field (all issues in the message). `variables` are the
 * callback's; `prefix` places the fields in the request body (e.g. "destinations.0.").
 */
export async function checkDestinationTemplates(db: Database, fields: GuardedTemplateField[], prefix: string, variables: Readonly<Record<string, string>>): Promise<void> {
  const secretNames = [...new Set(fields.flatMap((field) => safely(() => referencedSecrets(field.source))))];
  const missing = new Set(secretNames.length > 0 ? await missingSecrets(db, secretNames) : []);
  const issues = validateTemplates(fields, {
    knownVars: Object.keys(variables),
    knownSecrets: secretNames.filter((name) => !missing.has(name)),
  });
  issues.push(...saveGuardIssues(fields));
  if (issues.length > 0) throw toAppError(issues, prefix);
}

export interface VariableUse {
  destinationName: string;
  field: string;
  variable: string;
}

/** `{var.X}` uses in `fields` whose X is not among `variables`. */
export function undefinedVariableUses(destinationName: string, fields: GuardedTemplateField[], variables: Readonly<Record<string, string>>): VariableUse[] {
  return fields.flatMap((field) =>
    safely(() => referencedVars(field.source))
      .filter((name) => !Object.hasOwn(variables, name))
      .map((name) => ({ destinationName, field: field.field, variable: name })),
  );
}
