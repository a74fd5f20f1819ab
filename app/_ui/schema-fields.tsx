"use client";
// Renders a FieldSpec[] (derived from the API's schemas) as labelled inputs, with the API's 422
// message shown under the field it names.
import type { ReactNode } from "react";
import type { FieldSpec } from "@/lib/ui/field-spec";
import { messageFor, noneVariant, ownsError, type RawForm, type RawValue } from "@/lib/ui/form-values";
import type { ApiError } from "@/app/_ui/api-client";

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

function Row({ id, label, required, children, errorText }: { id: string; label: string; required?: boolean; children: ReactNode; errorText: ReactNode }) {
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
      {errorText}
    </div>
  );
}

function Field(props: FieldProps) {
  const { field, raw, path, onChange, error, idPrefix, disabled } = props;
  const id = `${idPrefix}-${path.replace(/\./g, "-")}`;
  const errorText =
    error && ownsError(field, path, error.field) ? (
      <p className="field-error" id={`${id}-error`} role="alert">
        {messageFor(error.field ?? path, error.message)}
      </p>
    ) : null;
  const text = typeof raw === "string" ? raw : "";
  const described = errorText ? `${id}-error` : undefined;
  switch (field.type) {
    case "text":
      return <TextField {...props} field={field} id={id} errorText={errorText} />;
    case "number":
      return (
        <Row id={id} label={field.label} required={field.required} errorText={errorText}>
          <input id={id} type="number" inputMode="numeric" min={field.min} max={field.max} value={text} disabled={disabled} aria-describedby={described} onChange={(event) => onChange(event.target.value)} />
        </Row>
      );
    case "boolean":
      return (
        <div className="field field-check">
          <input id={id} type="checkbox" checked={raw === true} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
          <label htmlFor={id}>{field.label}</label>
          {errorText}
        </div>
      );
    case "choice":
      return <ChoiceField {...props} field={field} id={id} errorText={errorText} />;
    case "multi":
      return <MultiField {...props} field={field} id={id} errorText={errorText} />;
    case "map":
      return (
        <Row id={id} label={field.label} errorText={errorText}>
          <textarea id={id} rows={3} value={text} disabled={disabled} placeholder="Name: value (one per line)" aria-describedby={described} onChange={(event) => onChange(event.target.value)} />
        </Row>
      );
    case "object":
      return (
        <fieldset className="group">
          <legend>{field.label}</legend>
          {errorText}
          <SchemaFields fields={field.fields} value={(raw ?? {}) as RawForm} onChange={onChange} error={error} prefix={`${path}.`} idPrefix={idPrefix} disabled={disabled} />
        </fieldset>
      );
    case "union":
      return <UnionField {...props} field={field} id={id} errorText={errorText} />;
    case "json":
      return (
        <Row id={id} label={`${field.label} (JSON)`} required={field.required} errorText={errorText}>
          <textarea id={id} rows={4} value={text} disabled={disabled} className="mono" aria-describedby={described} onChange={(event) => onChange(event.target.value)} />
        </Row>
      );
  }
}

type Extra = { id: string; errorText: ReactNode };

function TextField({ field, raw, onChange, disabled, id, errorText }: FieldProps & Extra & { field: Extract<FieldSpec, { type: "text" }> }) {
  const text = typeof raw === "string" ? raw : "";
  const described = errorText ? `${id}-error` : undefined;
  return (
    <Row id={id} label={field.label} required={field.required} errorText={errorText}>
      {field.multiline ? (
        <textarea id={id} rows={5} value={text} disabled={disabled} aria-describedby={described} onChange={(event) => onChange(event.target.value)} />
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

function ChoiceField({ field, raw, onChange, disabled, id, errorText }: FieldProps & Extra & { field: Extract<FieldSpec, { type: "choice" }> }) {
  return (
    <Row id={id} label={field.label} required={field.required} errorText={errorText}>
      <select id={id} value={typeof raw === "string" ? raw : ""} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {field.nullable || !field.required ? <option value="">{field.default !== undefined ? `default (${field.default})` : "—"}</option> : null}
        {field.options.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    </Row>
  );
}

function MultiField({ field, raw, onChange, disabled, id, errorText }: FieldProps & Extra & { field: Extract<FieldSpec, { type: "multi" }> }) {
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
      {errorText}
    </fieldset>
  );
}

function UnionField(props: FieldProps & Extra & { field: Extract<FieldSpec, { type: "union" }> }) {
  const { field, raw, path, onChange, error, idPrefix, disabled, id, errorText } = props;
  const form = (raw ?? {}) as RawForm;
  const chosen = String(form[field.discriminator] ?? noneVariant);
  const variant = field.variants.find((item) => item.value === chosen);
  return (
    <fieldset className="group">
      <legend>{field.label}</legend>
      <Row id={id} label={`${field.label} type`} errorText={errorText}>
        <select id={id} value={chosen} disabled={disabled} onChange={(event) => onChange({ ...form, [field.discriminator]: event.target.value })}>
          {field.nullable ? <option value={noneVariant}>none</option> : null}
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
