// Managed-service presets: `config.preset` names one. Before the schema parses a config, the
// preset fills its defaults into the fields the operator left out; after, its rules refuse what the
// service would refuse, as a 422 naming the field. GET /api/destinations/presets lists them.
import { AppError } from "@/lib/errors";
import type { DestinationKind } from "@/lib/db/schema";
import { presetNames, type PresetName } from "@/lib/destinations/presets/preset-names";
import type { LooseConfig, PresetDefinition } from "@/lib/destinations/presets/preset-types";
import { awsIotCorePreset } from "@/lib/destinations/presets/aws-iot-core";
import { azureIotHubPreset } from "@/lib/destinations/presets/azure-iot-hub";
import { cloudamqpPreset, emqxCloudPreset, hivemqCloudPreset } from "@/lib/destinations/presets/hosted-brokers";

const presets: Record<PresetName, PresetDefinition> = {
  aws_iot_core: awsIotCorePreset,
  azure_iot_hub: azureIotHubPreset,
  hivemq_cloud: hivemqCloudPreset,
  emqx_cloud: emqxCloudPreset,
  cloudamqp: cloudamqpPreset,
};

const isPresetName = (value: unknown): value is PresetName => typeof value === "string" && (presetNames as readonly string[]).includes(value);

const isObject = (value: unknown): value is LooseConfig => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A raw config with its preset's defaults in the fields it leaves out. Anything that is not a
 * config naming a known preset for this kind passes unchanged, for the schema to judge.
 */
export function fillPresetDefaults(kind: DestinationKind, config: unknown): unknown {
  if (!isObject(config) || !isPresetName(config.preset)) return config;
  return presets[config.preset].kinds[kind]?.fill(config) ?? config;
}

/** 422 naming the first field that breaks the preset's rules, or the preset itself on a kind it does not cover. */
export function checkPresetRules(kind: DestinationKind, config: LooseConfig, fieldPrefix = ""): void {
  if (!isPresetName(config.preset)) return;
  const preset = presets[config.preset];
  const kindPreset = preset.kinds[kind];
  if (!kindPreset) {
    const field = `${fieldPrefix}config.preset`;
    const covered = Object.keys(preset.kinds).join(" and ");
    throw new AppError("validation_failed", `${field}: ${preset.label} is a preset for ${covered} destinations, not ${kind}`, { field });
  }
  for (const rule of kindPreset.rules) {
    const refusal = rule.check(config);
    if (refusal === undefined) continue;
    const field = `${fieldPrefix}config.${rule.field}`;
    throw new AppError("validation_failed", `${field}: ${refusal}`, { field });
  }
}

export interface PresetSummary {
  id: PresetName;
  label: string;
  description: string;
  docsUrl: string;
  kinds: DestinationKind[];
  /** Per kind: what the preset fills in where a field is left out. */
  defaults: Partial<Record<DestinationKind, Record<string, unknown>>>;
  /** Per kind: what it refuses, one sentence each, with the field and the service's page. */
  rules: Partial<Record<DestinationKind, Array<{ field: string; text: string; source: string }>>>;
}

/** Every preset, for the API and the UI's preset picker. */
export function listPresets(): PresetSummary[] {
  return presetNames.map((name) => {
    const preset = presets[name];
    const kinds = Object.keys(preset.kinds) as DestinationKind[];
    return {
      id: preset.id,
      label: preset.label,
      description: preset.description,
      docsUrl: preset.docsUrl,
      kinds,
      defaults: Object.fromEntries(kinds.map((kind) => [kind, preset.kinds[kind]?.defaults ?? {}])),
      rules: Object.fromEntries(kinds.map((kind) => [kind, (preset.kinds[kind]?.rules ?? []).map(({ field, text, source }) => ({ field: `config.${field}`, text, source }))])),
    };
  });
}
