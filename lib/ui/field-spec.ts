// A form description the operator UI renders, derived from the API's own zod schemas (through
// JSON Schema) so a field added to a schema shows up in the form without UI changes.
export type FieldSpec = FieldKind & {
  /** One line under the control saying what the value does (e.g. what an empty value means). */
  hint?: string;
  /** Shown in warning style next to the control (e.g. a development-only switch). */
  warning?: string;
};

type FieldKind =
  | {
      type: "text";
      key: string;
      label: string;
      required: boolean;
      nullable: boolean;
      default?: string;
      multiline: boolean;
      secret: boolean;
      maxLength?: number;
      /** Code-like text (PEM): monospace, no spell checking. */
      monospace?: boolean;
    }
  | { type: "number"; key: string; label: string; required: boolean; nullable: boolean; default?: number; min?: number; max?: number }
  | { type: "boolean"; key: string; label: string; default?: boolean }
  | { type: "choice"; key: string; label: string; required: boolean; nullable: boolean; options: Array<string | number>; default?: string | number }
  | { type: "multi"; key: string; label: string; options: string[]; default?: string[] }
  /** A list of free strings, edited as one comma-separated line (e.g. ALPN protocols). */
  | { type: "list"; key: string; label: string; required: boolean; default?: string[] }
  | { type: "map"; key: string; label: string; default?: Record<string, string> }
  /**
   * `optional`: left out of the payload when nothing in it is set (e.g. `tls` on a plain-TCP
   * broker); `nullable`: an edit with nothing set sends null, clearing it (a callback's acknowledgement).
   */
  | { type: "object"; key: string; label: string; fields: FieldSpec[]; optional: boolean; nullable?: boolean }
  /** `optional`: no variant is chosen by default and "none" leaves the setting out. */
  | {
      type: "union";
      key: string;
      label: string;
      nullable: boolean;
      optional: boolean;
      discriminator: string;
      variants: Array<{ value: string; fields: FieldSpec[] }>;
      default?: string;
    }
  | { type: "json"; key: string; label: string; required: boolean };

export type FormValue = Record<string, unknown>;
