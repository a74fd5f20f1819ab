// The destination form's preset picker: the presets that cover a kind, the defaults a chosen one
// writes into the form (only values that are real settings; a control whose default is a
// placeholder such as "<device id>" is emptied for the preset to fill at save, and facts such as
// ports stay notes), and the rules it will check at save, shown as a hint.
import type { FieldSpec } from "@/lib/ui/field-spec";
import { toRawForm, type RawForm } from "@/lib/ui/form-values";

/** A preset as GET /api/destinations/presets lists it (listPresets in lib/destinations/presets). */
export interface PresetChoice {
  id: string;
  label: string;
  description: string;
  docsUrl: string;
  kinds: string[];
  /** Per kind: config paths (dotted, below `config.`) → what the preset fills in. */
  defaults: Partial<Record<string, Record<string, unknown>>>;
  rules: Partial<Record<string, Array<{ field: string; text: string; source: string }>>>;
}

export function presetsForKind(presets: readonly PresetChoice[], kind: string): PresetChoice[] {
  return presets.filter((preset) => preset.kinds.includes(kind));
}

/** A default worth writing into a control: not a placeholder for the operator's own value. */
function isFillable(value: unknown): boolean {
  if (typeof value === "string") return !value.includes("<");
  return typeof value === "number" || typeof value === "boolean" || (typeof value === "object" && value !== null);
}

/** Writes `value` at `path` (segments below `fields`); false when no control sits there. */
function writeAt(fields: readonly FieldSpec[], raw: RawForm, path: readonly string[], value: unknown): boolean {
  const [key, ...rest] = path;
  const field = fields.find((item) => item.key === key);
  if (!field || key === undefined) return false;
  if (rest.length === 0) {
    if (field.type === "object" || field.type === "union") return false;
    raw[key] = toRawForm([field], { [key]: value })[key] ?? "";
    return true;
  }
  if (field.type === "object") return writeAt(field.fields, (raw[key] ??= {}) as RawForm, rest, value);
  if (field.type !== "union") return false;
  // A sign-in setting (e.g. auth.service) goes into every variant that has it; the chosen one stays.
  const form = (raw[key] ??= {}) as RawForm;
  return field.variants.map((variant) => writeAt(variant.fields, (form[`$${variant.value}`] ??= {}) as RawForm, rest, value)).some(Boolean);
}

export interface AppliedPreset {
  raw: RawForm;
  /** Config paths the preset filled in. */
  filled: string[];
  /** Defaults that are not a control's value (ports, placeholders), as "name: value" lines. */
  notes: string[];
}

/** A default in words: "mqtts 8883, wss 443" for a table of ports, items joined for a list. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map(describe).join(", ");
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .map(([key, inner]) => `${key} ${describe(inner)}`)
      .join(", ");
  }
  return String(value);
}

/** The form with `presetId` chosen and its defaults for `kind` written in; no preset: only the choice is cleared. */
export function applyPreset(fields: readonly FieldSpec[], form: RawForm, preset: PresetChoice | undefined, kind: string): AppliedPreset {
  const raw = structuredClone(form);
  const config = fields.find((field) => field.key === "config");
  const configRaw = (raw.config ??= {}) as RawForm;
  configRaw.preset = preset?.id ?? "";
  const filled: string[] = [];
  const notes: string[] = [];
  if (!preset || config?.type !== "object") return { raw, filled, notes };
  for (const [path, value] of Object.entries(preset.defaults[kind] ?? {})) {
    const segments = path.split(".");
    if (isFillable(value) && writeAt(config.fields, configRaw, segments, value)) filled.push(path);
    // A placeholder ("<device id>"): the control is emptied so the preset fills it at save from the operator's other values.
    else if (!isFillable(value) && writeAt(config.fields, configRaw, segments, "")) notes.push(`${path}: ${describe(value)} (left empty: filled in at save)`);
    else notes.push(`${path}: ${describe(value)}`);
  }
  return { raw, filled, notes };
}

/** Fields to render: the preset choice has its own picker at the top of the form. */
export function withoutPresetField(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.map((field) => (field.key === "config" && field.type === "object" ? { ...field, fields: field.fields.filter((inner) => inner.key !== "preset") } : field));
}
