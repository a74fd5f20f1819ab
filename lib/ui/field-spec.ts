// A form description the operator UI renders, derived from the API's own zod schemas (through
// JSON Schema) so a field added to a schema shows up in the form without UI changes.
export type FieldSpec = FieldKind & {
  /** One line under the control saying what the value does (e.g. what an empty value means). */
  hint?: string;
};

type FieldKind =
  | { type: "text"; key: string; label: string; required: boolean; nullable: boolean; default?: string; multiline: boolean; secret: boolean; maxLength?: number }
  | { type: "number"; key: string; label: string; required: boolean; nullable: boolean; default?: number; min?: number; max?: number }
  | { type: "boolean"; key: string; label: string; default?: boolean }
  | { type: "choice"; key: string; label: string; required: boolean; nullable: boolean; options: Array<string | number>; default?: string | number }
  | { type: "multi"; key: string; label: string; options: string[]; default?: string[] }
  | { type: "map"; key: string; label: string; default?: Record<string, string> }
  | { type: "object"; key: string; label: string; fields: FieldSpec[] }
  | { type: "union"; key: string; label: string; nullable: boolean; discriminator: string; variants: Array<{ value: string; fields: FieldSpec[] }>; default?: string }
  | { type: "json"; key: string; label: string; required: boolean };

export type FormValue = Record<string, unknown>;
