// The forms the operator UI renders, described from the API's schemas: callbacks (create and
// edit), one destination form per kind and the alert webhook. New schema fields appear here on
// their own.
import { alertSettingsInputSchema } from "@/lib/alerts/alert-settings";
import { callbackCreateSchema, callbackPatchSchema } from "@/lib/callbacks/callback-input";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { defaultFailureThreshold, destinationInputSchema, destinationPatchSchema } from "@/lib/destinations/destination-input";
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

const destinationLabels = { failureThreshold: "Failure threshold (circuit breaker)", maxConcurrency: "Max deliveries in flight" };

const destinationHints = {
  failureThreshold:
    `Deliveries in a row that end failed or dead (retried attempts do not count) before this destination is disabled; ` +
    `default ${defaultFailureThreshold}. Leave empty to never disable it.`,
  maxConcurrency:
    `At most this many deliveries to this destination run at once; the queue holds the rest back, so a burst ` +
    `of triggers reaches the receiver at a pace it can take. Default ${defaultMaxConcurrency}.`,
};

/** Credential paths of a kind's config, rendered as password inputs. */
function configSecretPaths(kind: keyof typeof kindDefinitions, prefix = "config."): string[] {
  return kindDefinitions[kind].secretFields.filter((field) => field.kind === "value").map((field) => `${prefix}${field.path.join(".")}`);
}

export function destinationFormSpecs(): DestinationKindForm[] {
  const patchKeys = Object.keys(destinationPatchSchema.shape);
  return destinationInputSchema.options.map((option) => {
    const kind = option.shape.kind.value;
    const labels = { ...destinationLabels, config: `${kind.toUpperCase()} settings` };
    const fields = describeFields(option, { omit: ["kind"], secretPaths: configSecretPaths(kind), labels, hints: destinationHints });
    return { kind, fields, patchKeys };
  });
}

/** The alert webhook: on/off, retries and the same HTTP config form as an HTTP destination. */
export function alertSettingsFormFields(): FieldSpec[] {
  return describeFields(alertSettingsInputSchema, {
    secretPaths: configSecretPaths("http"),
    labels: { enabled: "Send alerts", retries: "Retries (QStash)", config: "Alert webhook (HTTP)" },
    hints: {
      enabled: "Off: no alert is recorded or sent; the settings are kept.",
      retries: "How often QStash retries each alert (0–20). A failing alert never raises another alert.",
    },
  });
}
