// What a managed-service preset is: per destination kind, the defaults it fills in where the
// operator left a field out, and the rules it checks at save, each with the service's own page.
import type { DestinationKind } from "@/lib/db/schema";
import type { PresetName } from "@/lib/destinations/presets/preset-names";

/** A destination config before or after its schema: presets read it field by field. */
export type LooseConfig = Record<string, unknown>;

export interface PresetRule {
  /** The config field a refusal names, below `config.` (e.g. "qos", "tls.cert"). */
  field: string;
  /** The rule in one sentence, as GET /api/destinations/presets lists it. */
  text: string;
  /** The service's own documentation of the limit. */
  source: string;
  /** Why this config breaks the rule, or undefined when it keeps it. Never quotes a credential. */
  check(config: LooseConfig): string | undefined;
}

export interface KindPreset {
  /** What `fill` writes where the operator wrote nothing, described for the API and the UI. */
  defaults: Record<string, unknown>;
  /** The config with the preset's defaults in every field the operator left out; what they wrote stays. */
  fill(config: LooseConfig): LooseConfig;
  rules: readonly PresetRule[];
}

export interface PresetDefinition {
  id: PresetName;
  label: string;
  description: string;
  docsUrl: string;
  kinds: Partial<Record<DestinationKind, KindPreset>>;
}
