"use client";
// Renders a FieldSpec[] (derived from the API's schemas) as labelled inputs, each with its hint
// and the API's 422 message shown under the field it names.
import { useState, type ReactNode } from "react";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { chosenVariant, messageFor, noneVariant, ownsError, type RawForm, type RawValue } from "@/lib/ui/form-values";
import type { ApiError } from "@/app/_ui/api-client";
import { redactedValue } from "@/lib/redacted";

interface FieldsProps {
  fields: readonly FieldSpec[];
  value: RawForm;
  onChange: (next: RawForm) => void;
  error?: ApiError | null;
  prefix?: string;
  idPrefix: string;
  disabled?: boolean;
}

export function SchemaFields({ fields, value, onChange, error, prefix = "", idPrefix, disabled }: FieldsProps) {
  return (
    <>
      {fields.map((field) => (
        <Field
          key={field.key}
          field={field}
          raw={value[field.key]}
          path={`${prefix}${field.key}`}
          onChange={(raw) => onChange({ ...value, [field.key]: raw })}
          error={error}
          idPrefix={idPrefix}
          disabled={disabled}
        />
      ))}
    </>
  );
}

interface FieldProps {
  field: FieldSpec;
  raw: RawValue | undefined;
  path: string;
  onChange: (raw: RawValue) => void;
  error?: ApiError | null;
  idPrefix: string;
  disabled?: boolean;
}

function Row({ id, label, required, children, notes }: { id: string; label: string; required?: boolean; children: ReactNode; notes: ReactNode }) {
  return (
    <div className="field">
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        {required ? (
          <span className="required" aria-hidden="true">
            *
          </span>
        ) : null}
      </div>
      {children}
      {notes}
    </div>
  );
}

function Field(props: FieldProps) {
  const { field, raw, path, onChange, error, idPrefix, disabled } = props;
  const id = `${idPrefix}-${path.replace(/\./g, "-")}`;
  const failed = Boolean(error && ownsError(field, path, error.field));
  const notes = (
    <>
      {field.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {field.hint}
        </p>
      ) : null}
      {field.warning ? (
        <p className="field-warning warn small" id={`${id}-warning`}>
          ⚠ {field.warning}
        </p>
      ) : null}
      {failed && error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {messageFor(error.field ?? path, error.message)}
        </p>
      ) : null}
    </>
  );
  const text = typeof raw === "string" ? raw : "";
  const described = describedBy(id, field, failed);
  switch (field.type) {
    case "text":
      return <TextField {...props} field={field} id={id} notes={notes} described={described} />;
    case "number":
      return (
        <Row id={id} label={field.label} required={field.required} notes={notes}>
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={field.min}
            max={field.max}
            value={text}
            disabled={disabled}
            aria-describedby={described}
            onChange={(event) => onChange(event.target.value)}
          />
        </Row>
      );
    case "boolean":
      return (
        <div className="field field-check">
          <input id={id} type="checkbox" checked={raw === true} disabled={disabled} aria-describedby={described} onChange={(event) => onChange(event.target.checked)} />
          <label htmlFor={id}>{field.label}</label>
          {notes}
        </div>
      );
    case "choice":
      return <ChoiceField {...props} field={field} id={id} notes={notes} described={described} />;
    case "multi":
      return <MultiField {...props} field={field} id={id} notes={notes} />;
    case "list":
      return (
        <Row id={id} label={field.label} required={field.required} notes={notes}>
          <input
            id={id}
            type="text"
            autoComplete="off"
            value={text}
            disabled={disabled}
            placeholder="one, two"
            aria-describedby={described}
            onChange={(event) => onChange(event.target.value)}
          />
        </Row>
      );
    case "map":
      return (
        <Row id={id} label={field.label} notes={notes}>
          <textarea
            id={id}
            rows={3}
            value={text}
            disabled={disabled}
            placeholder="Name: value (one per line)"
            aria-describedby={described}
            onChange={(event) => onChange(event.target.value)}
          />
        </Row>
      );
    case "object":
      return (
        <fieldset className="group">
          <legend>{field.label}</legend>
          {notes}
          <SchemaFields fields={field.fields} value={(raw ?? {}) as RawForm} onChange={onChange} error={error} prefix={`${path}.`} idPrefix={idPrefix} disabled={disabled} />
        </fieldset>
      );
    case "union":
      return <UnionField {...props} field={field} id={id} notes={notes} />;
    case "json":
      return (
        <Row id={id} label={`${field.label} (JSON)`} required={field.required} notes={notes}>
          <textarea id={id} rows={4} value={text} disabled={disabled} className="mono" aria-describedby={described} onChange={(event) => onChange(event.target.value)} />
        </Row>
      );
  }
}

/** The ids of the hint, the warning and the error under a control, for aria-describedby. */
function describedBy(id: string, field: FieldSpec, failed: boolean): string | undefined {
  const ids = [field.hint ? `${id}-hint` : "", field.warning ? `${id}-warning` : "", failed ? `${id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** `notes`: the hint and the error shown under the control. */
type Extra = { id: string; notes: ReactNode; described?: string };

type TextSpec = Extract<FieldSpec, { type: "text" }>;

function TextField(props: FieldProps & Extra & { field: TextSpec }) {
  const { field, raw, onChange, disabled, id, notes, described } = props;
  const text = typeof raw === "string" ? raw : "";
  if (field.multiline && field.secret) return <SecretTextArea {...props} />;
  return (
    <Row id={id} label={field.label} required={field.required} notes={notes}>
      {field.multiline ? (
        <textarea
          id={id}
          rows={5}
          value={text}
          disabled={disabled}
          className={field.monospace ? "mono" : undefined}
          spellCheck={field.monospace ? false : undefined}
          aria-describedby={described}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          id={id}
          type={field.secret ? "password" : "text"}
          autoComplete={field.secret ? "new-password" : "off"}
          value={text}
          disabled={disabled}
          required={field.required}
          aria-describedby={described}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Row>
  );
}

/**
 * A multi-line credential (a PEM private key). A password input would strip its line breaks, so
 * new text goes in a textarea; a stored one shows as the mask in a password input and is sent
 * back as "***" (kept) unless the operator chooses to replace it.
 */
function SecretTextArea({ field, raw, onChange, disabled, id, notes, described }: FieldProps & Extra & { field: TextSpec }) {
  const text = typeof raw === "string" ? raw : "";
  const [stored] = useState(text === redactedValue);
  if (text === redactedValue) {
    return (
      <Row id={id} label={field.label} required={field.required} notes={notes}>
        <span className="inline-control">
          <input id={id} type="password" value={text} readOnly disabled={disabled} aria-describedby={described} />
          <button type="button" className="secondary" disabled={disabled} onClick={() => onChange("")}>
            Replace
          </button>
        </span>
      </Row>
    );
  }
  return (
    <Row id={id} label={field.label} required={field.required} notes={notes}>
      <textarea
        id={id}
        rows={5}
        value={text}
        disabled={disabled}
        className={field.monospace ? "mono" : undefined}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={described}
        onChange={(event) => onChange(event.target.value)}
      />
      {stored ? (
        <button type="button" className="secondary" disabled={disabled} onClick={() => onChange(redactedValue)}>
          Keep the stored one
        </button>
      ) : null}
    </Row>
  );
}

function ChoiceField({ field, raw, onChange, disabled, id, notes, described }: FieldProps & Extra & { field: Extract<FieldSpec, { type: "choice" }> }) {
  return (
    <Row id={id} label={field.label} required={field.required} notes={notes}>
      <select id={id} value={typeof raw === "string" ? raw : ""} disabled={disabled} aria-describedby={described} onChange={(event) => onChange(event.target.value)}>
        {/* A required choice without a default (an acknowledgement's status) shows — until chosen, not its first option, and can be emptied again. */}
        {field.nullable || !field.required || field.default === undefined ? <option value="">{field.default !== undefined ? `default (${field.default})` : "—"}</option> : null}
        {field.options.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    </Row>
  );
}

function MultiField({ field, raw, onChange, disabled, id, notes }: FieldProps & Extra & { field: Extract<FieldSpec, { type: "multi" }> }) {
  const chosen = Array.isArray(raw) ? raw : [];
  const toggle = (option: string, on: boolean) => onChange(on ? [...chosen, option] : chosen.filter((item) => item !== option));
  return (
    <fieldset className="field checks" id={id}>
      <legend>{field.label}</legend>
      {field.options.map((option) => (
        <label key={option} className="check">
          <input type="checkbox" checked={chosen.includes(option)} disabled={disabled} onChange={(event) => toggle(option, event.target.checked)} /> {option}
        </label>
      ))}
      {notes}
    </fieldset>
  );
}

function UnionField(props: FieldProps & Extra & { field: Extract<FieldSpec, { type: "union" }> }) {
  const { field, raw, path, onChange, error, idPrefix, disabled, id, notes } = props;
  const form = (raw ?? {}) as RawForm;
  const chosen = chosenVariant(form, field.discriminator);
  const variant = field.variants.find((item) => item.value === chosen);
  return (
    <fieldset className="group">
      <legend>{field.label}</legend>
      <Row id={id} label={`${field.label} type`} notes={notes}>
        <select id={id} value={chosen} disabled={disabled} onChange={(event) => onChange({ ...form, [field.discriminator]: event.target.value })}>
          {field.nullable || field.optional ? <option value={noneVariant}>none</option> : null}
          {field.variants.map((item) => (
            <option key={item.value} value={item.value}>
              {item.value}
            </option>
          ))}
        </select>
      </Row>
      {variant ? (
        <SchemaFields
          fields={variant.fields}
          value={(form[`$${chosen}`] ?? {}) as RawForm}
          onChange={(next) => onChange({ ...form, [`$${chosen}`]: next })}
          error={error}
          prefix={`${path}.`}
          idPrefix={`${idPrefix}-${chosen}`}
          disabled={disabled}
        />
      ) : null}
    </fieldset>
  );
}
