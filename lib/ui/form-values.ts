// Converts between API values and the raw strings/booleans a form edits, guided by FieldSpec.
// Pure: the client forms and the unit tests share it.
import type { FieldSpec, FormValue } from "@/lib/ui/field-spec";

export type RawValue = string | boolean | string[] | RawForm;
export interface RawForm {
  [key: string]: RawValue;
}

/** "create" omits blanks (server defaults apply); "edit" sends null to clear a nullable field. */
export type FormMode = "create" | "edit";

export const noneVariant = "";

/** A stored scalar as the text its control shows; a value its schema would refuse shows as JSON, never "[object Object]". */
export function scalarText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** The variant a union's select names; the select only ever writes strings. */
export function chosenVariant(form: RawForm, discriminator: string): string {
  const value = form[discriminator];
  return typeof value === "string" ? value : noneVariant;
}

function mapToText(value: unknown): string {
  if (!value || typeof value !== "object") return "";
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${key}: ${String(item)}`)
    .join("\n");
}

function textToMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const index = line.indexOf(":");
    if (index === -1) throw new Error(`"${line.trim()}" is not "name: value"`);
    map[line.slice(0, index).trim()] = line.slice(index + 1).trim();
  }
  return map;
}

function listToText(value: readonly unknown[] | undefined): string {
  return (value ?? []).map(String).join(", ");
}

function textToList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function rawField(field: FieldSpec, value: unknown): RawValue {
  switch (field.type) {
    case "boolean":
      return typeof value === "boolean" ? value : (field.default ?? false);
    case "multi":
      return Array.isArray(value) ? value.map(String) : (field.default ?? []);
    case "list":
      return listToText(Array.isArray(value) ? value : field.default);
    case "map":
      return mapToText(value ?? field.default);
    case "object":
      return toRawForm(field.fields, (value ?? {}) as FormValue);
    case "union": {
      const record = value && typeof value === "object" ? (value as FormValue) : undefined;
      const chosen = record ? String(record[field.discriminator]) : field.nullable || field.optional ? noneVariant : (field.default ?? field.variants[0]?.value ?? "");
      const raw: RawForm = { [field.discriminator]: chosen };
      for (const variant of field.variants) raw[`$${variant.value}`] = toRawForm(variant.fields, variant.value === chosen && record ? record : {});
      return raw;
    }
    case "json":
      return value === undefined ? "" : JSON.stringify(value, null, 2);
    default: {
      const chosen = value === undefined ? field.default : value;
      return chosen === undefined || chosen === null ? "" : scalarText(chosen);
    }
  }
}

export function toRawForm(fields: readonly FieldSpec[], value: FormValue): RawForm {
  return Object.fromEntries(fields.map((field) => [field.key, rawField(field, value[field.key])]));
}

const skip = Symbol("skip");

/**
 * A blank nullable field (or a blank top-level config setting) is null when editing. When creating, blank lets the server's default
 * apply, unless the form showed a non-null default (e.g. a failure threshold of 20) and the
 * operator cleared it: that means null ("never"), not the default again.
 */
function blank(field: { nullable: boolean; default?: unknown }, mode: FormMode, path: string): null | typeof skip {
  // A destination PATCH merges `config` key by key, where null removes an optional setting
  // (e.g. a body template, back to the default envelope); left out, the old value would stay.
  if (!field.nullable) return mode === "edit" && /^config\.[^.]+$/.test(path) ? null : skip;
  return mode === "edit" || (field.default !== undefined && field.default !== null) ? null : skip;
}

function payloadField(field: FieldSpec, raw: RawValue | undefined, mode: FormMode, path: string): unknown {
  switch (field.type) {
    case "boolean":
      return raw === true;
    case "multi":
      // zod drops the default of a transformed array from JSON Schema: let the server apply it.
      if (mode === "create" && (!Array.isArray(raw) || raw.length === 0)) return skip;
      return Array.isArray(raw) ? raw : [];
    case "list": {
      const items = textToList(typeof raw === "string" ? raw : "");
      return items.length === 0 ? blank({ nullable: false }, mode, path) : items;
    }
    case "map":
      try {
        return textToMap(typeof raw === "string" ? raw : "");
      } catch (error) {
        throw new FormInputError(path, (error as Error).message);
      }
    case "object": {
      const inner = toPayload(field.fields, (raw ?? {}) as RawForm, mode, `${path}.`);
      return field.optional && setsNothing(field.fields, inner) ? blank({ nullable: field.nullable ?? false }, mode, path) : inner;
    }
    case "union": {
      const form = (raw ?? {}) as RawForm;
      const chosen = chosenVariant(form, field.discriminator);
      if (chosen === noneVariant) return field.nullable ? null : field.optional ? blank({ nullable: false }, mode, path) : skip;
      const variant = field.variants.find((item) => item.value === chosen);
      const inner = variant ? toPayload(variant.fields, (form[`$${chosen}`] ?? {}) as RawForm, "create", `${path}.`) : {};
      return { [field.discriminator]: chosen, ...inner };
    }
    case "json": {
      const text = typeof raw === "string" ? raw.trim() : "";
      if (text === "") return skip;
      try {
        return JSON.parse(text);
      } catch {
        throw new FormInputError(path, "is not valid JSON");
      }
    }
    case "number": {
      const text = typeof raw === "string" ? raw.trim() : "";
      if (text === "") return blank(field, mode, path);
      const number = Number(text);
      if (!Number.isFinite(number)) throw new FormInputError(path, "must be a number");
      return number;
    }
    case "choice": {
      const text = typeof raw === "string" ? raw : "";
      if (text === "") return blank(field, mode, path);
      const option = field.options.find((item) => String(item) === text);
      return option ?? text;
    }
    case "text": {
      const text = typeof raw === "string" ? raw : "";
      return text === "" ? blank(field, mode, path) : text;
    }
  }
}

/** Whether an object's payload sets nothing beyond its defaults (e.g. a tls object with only insecureSkipVerify: false). */
function setsNothing(fields: readonly FieldSpec[], payload: FormValue): boolean {
  return fields.every((field) => {
    const value = payload[field.key];
    if (value === undefined || value === null) return true;
    // An empty map (no "name: value" line) sets nothing either, e.g. an untouched headers box.
    if (field.type === "map") return Object.keys(value).length === 0;
    return field.type === "boolean" && value === (field.default ?? false);
  });
}

/** A mistake the form catches before sending (bad JSON, a map line without a colon). */
export class FormInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function toPayload(fields: readonly FieldSpec[], raw: RawForm, mode: FormMode, prefix = ""): FormValue {
  const payload: FormValue = {};
  for (const field of fields) {
    const value = payloadField(field, raw[field.key], mode, `${prefix}${field.key}`);
    if (value !== skip) payload[field.key] = value;
  }
  return payload;
}

/** toPayload for a submit handler: a value the form cannot send comes back as an error for its field. */
export function readFormPayload(
  fields: readonly FieldSpec[],
  raw: RawForm,
  mode: FormMode,
): { ok: true; body: FormValue } | { ok: false; error: { code: "invalid"; field: string; message: string } } {
  try {
    return { ok: true, body: toPayload(fields, raw, mode) };
  } catch (problem) {
    if (problem instanceof FormInputError) return { ok: false, error: { code: "invalid", field: problem.field, message: problem.message } };
    throw problem;
  }
}

/** The part of a joined validation message ("a: x; b: y") that concerns `field`. */
export function messageFor(field: string, message: string): string {
  const part = message.split("; ").find((item) => item.startsWith(`${field}: `));
  return part ? part.slice(field.length + 2) : message;
}

const isContainer = (field: FieldSpec) => field.type === "object" || field.type === "union";

/** Whether a field at `path` shows an error naming `errorField` (leaves also own sub-paths, e.g. a header name). */
export function ownsError(field: FieldSpec, path: string, errorField: string | undefined): boolean {
  if (!errorField) return false;
  return errorField === path || (!isContainer(field) && errorField.startsWith(`${path}.`));
}

/** Whether some field of the form shows the error; if not, the form shows it at the top. */
export function formPlacesError(fields: readonly FieldSpec[], errorField: string | undefined, prefix = ""): boolean {
  return fields.some((field) => {
    const path = `${prefix}${field.key}`;
    if (ownsError(field, path, errorField)) return true;
    if (field.type === "object") return formPlacesError(field.fields, errorField, `${path}.`);
    if (field.type === "union") return field.variants.some((variant) => formPlacesError(variant.fields, errorField, `${path}.`));
    return false;
  });
}
