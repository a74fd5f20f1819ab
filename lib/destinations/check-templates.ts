// Save-time template checks: syntax, known variables, allowed env names, existing secrets.
import type { Database } from "@/lib/db";
import type { TemplateField } from "@/lib/destinations/kinds";

export async function checkDestinationTemplates(_db: Database, _fields: TemplateField[], _prefix: string): Promise<void> {
  // Filled in when the template engine lands (lib/templates).
}
