// zod schema → JSON Schema (zod's own converter, input side) → FieldSpec[] for the UI forms.
// Anything the converter cannot map to a known control becomes a JSON field, never a crash.
import { z } from "zod";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { scalarText } from "@/lib/ui/form-values";

interface JsonSchema {
  type?: string | string[];
  enum?: Array<string | number>;
  const?: string | number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export interface FieldOptions {
  /** Keys to leave out (e.g. `destinations` on the callback form). */
  omit?: readonly string[];
  /** Dotted paths of credential fields: rendered as password inputs. */
  secretPaths?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  /** Dotted path → a line of help under the control. */
  hints?: Readonly<Record<string, string>>;
  /** Dotted path → a warning shown next to the control. */
  warnings?: Readonly<Record<string, string>>;
  /** Dotted paths of code-like text (PEM): monospace. */
  monospacePaths?: readonly string[];
}

/** Credentials wherever they appear (e.g. inboundAuth.secret), besides the declared paths. */
const secretKeys = new Set(["secret", "password", "clientSecret", "secretAccessKey", "sessionToken", "deviceKey", "passphrase"]);

const acronyms: Record<string, string> = {
  url: "URL",
  ms: "(ms)",
  qos: "QoS",
  id: "ID",
  amqp: "AMQP",
  mqtt: "MQTT",
  http: "HTTP",
  tls: "TLS",
  ca: "CA",
  alpn: "ALPN",
  aws: "AWS",
  sas: "SAS",
};

function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[\s_]+/);
  return words.map((word, index) => acronyms[word.toLowerCase()] ?? (index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word.toLowerCase())).join(" ");
}

function withoutNull(schema: JsonSchema): { inner: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const rest = schema.type.filter((type) => type !== "null");
    return { inner: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.some((option) => option.type === "null")) {
    const rest = options.filter((option) => option.type !== "null");
    const inner = rest.length === 1 && rest[0] ? rest[0] : { ...schema, anyOf: rest, oneOf: undefined };
    return { inner: { default: schema.default, ...inner }, nullable: true };
  }
  return { inner: schema, nullable: false };
}

function constUnion(options: JsonSchema[] | undefined): Array<string | number> | undefined {
  if (!options || options.length === 0 || !options.every((option) => option.const !== undefined)) return undefined;
  return options.map((option) => option.const as string | number);
}

function discriminatorOf(options: JsonSchema[]): string | undefined {
  const first = options[0]?.properties ?? {};
  return Object.keys(first).find((key) => options.every((option) => option.properties?.[key]?.const !== undefined));
}

function convert(key: string, path: string, raw: JsonSchema, required: boolean, options: FieldOptions): FieldSpec {
  const field: FieldSpec = convertKind(key, path, raw, required, options);
  const hint = options.hints?.[path];
  const warning = options.warnings?.[path];
  return { ...field, ...(hint ? { hint } : {}), ...(warning ? { warning } : {}) };
}

function convertKind(key: string, path: string, raw: JsonSchema, required: boolean, options: FieldOptions): FieldSpec {
  const { inner: schema, nullable } = withoutNull(raw);
  const label = options.labels?.[path] ?? humanize(key);
  const union = schema.oneOf ?? schema.anyOf;
  const literals = schema.enum ?? constUnion(union);
  if (literals) {
    return { type: "choice", key, label, required, nullable, options: literals, default: schema.default as string | number | undefined };
  }
  if (union) {
    const discriminator = discriminatorOf(union);
    if (!discriminator) return { type: "json", key, label, required };
    const variants = union.map((option) => ({
      value: String(option.properties?.[discriminator]?.const),
      fields: fieldsOf(option, `${path}.`, options).filter((field) => field.key !== discriminator),
    }));
    const fallback = (schema.default as Record<string, unknown> | undefined)?.[discriminator];
    const optional = !required && fallback === undefined;
    return { type: "union", key, label, nullable, optional, discriminator, variants, default: fallback === undefined ? undefined : scalarText(fallback) };
  }
  switch (schema.type) {
    case "string": {
      const secret = (options.secretPaths?.includes(path) ?? false) || secretKeys.has(key);
      const multiline = (schema.maxLength ?? 0) > 8192;
      const monospace = options.monospacePaths?.includes(path) ?? false;
      return { type: "text", key, label, required, nullable, default: schema.default as string | undefined, multiline, secret, maxLength: schema.maxLength, monospace };
    }
    case "integer":
    case "number":
      return { type: "number", key, label, required, nullable, default: schema.default as number | undefined, min: schema.minimum, max: schema.maximum };
    case "boolean":
      return { type: "boolean", key, label, default: schema.default as boolean | undefined };
    case "array":
      if (schema.items?.enum) return { type: "multi", key, label, options: schema.items.enum.map(String), default: schema.default as string[] | undefined };
      if (schema.items?.type === "string") return { type: "list", key, label, required, default: schema.default as string[] | undefined };
      return { type: "json", key, label, required };
    case "object":
      // A null default (e.g. a callback's acknowledgement) means "none" too: leave it out unless filled in.
      if (schema.properties) {
        const optional = !required && (schema.default === undefined || schema.default === null);
        return { type: "object", key, label, fields: fieldsOf(schema, `${path}.`, options), optional, ...(nullable ? { nullable } : {}) };
      }
      if (typeof schema.additionalProperties === "object" && schema.additionalProperties.type === "string") {
        return { type: "map", key, label, default: schema.default as Record<string, string> | undefined };
      }
      return { type: "json", key, label, required };
    default:
      return { type: "json", key, label, required };
  }
}

function fieldsOf(schema: JsonSchema, prefix: string, options: FieldOptions): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => !(prefix === "" && options.omit?.includes(key)))
    .map(([key, property]) => convert(key, `${prefix}${key}`, property, required.has(key) && property.default === undefined, options));
}

/** The top-level fields of an object schema, in declaration order. */
export function describeFields(schema: z.ZodType, options: FieldOptions = {}): FieldSpec[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return fieldsOf(json, "", options);
}
