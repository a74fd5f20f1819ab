// The forms the operator UI renders, described from the API's schemas: callbacks (create and
// edit) and one destination form per kind. New schema fields appear here on their own.
import { callbackCreateSchema, callbackPatchSchema } from "@/lib/callbacks/callback-input";
import { destinationInputSchema, destinationPatchSchema } from "@/lib/destinations/destination-input";
import { kindDefinitions } from "@/lib/destinations/kinds";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { describeFields } from "@/lib/ui/schema-fields";

const callbackLabels = {
  path: "Custom path (/api/hooks/…)",
  pathTokenHeader: "Token header for the custom path",
  rateLimitPerMinute: "Rate limit (requests per minute)",
  maxBodyBytes: "Max body (bytes)",
  retries: "Retries (QStash)",
};

export function callbackFormFields(mode: "create" | "edit"): FieldSpec[] {
  const schema = mode === "create" ? callbackCreateSchema : callbackPatchSchema;
  return describeFields(schema, { omit: ["destinations"], labels: callbackLabels });
}

export interface DestinationKindForm {
  kind: string;
  /** The whole destination input (name, enabled, config, …) for this kind. */
  fields: FieldSpec[];
  /** Top-level keys PATCH accepts; the edit form sends only these. */
  patchKeys: string[];
}

export function destinationFormSpecs(): DestinationKindForm[] {
  const patchKeys = Object.keys(destinationPatchSchema.shape);
  return destinationInputSchema.options.map((option) => {
    const kind = option.shape.kind.value;
    const secretPaths = kindDefinitions[kind].secretFields
      .filter((field) => field.kind === "value")
      .map((field) => `config.${field.path.join(".")}`);
    const fields = describeFields(option, { omit: ["kind"], secretPaths, labels: { config: `${kind.toUpperCase()} settings` } });
    return { kind, fields, patchKeys };
  });
}
