"use client";
// The text area the filter and transform editors share: its label, its hint, and the API's 422
// message under it when the error names the editor's field; the editor's "try it" panel follows.
import type { ReactNode } from "react";

interface FieldProps {
  id: string;
  label: string;
  rows: number;
  placeholder: string;
  text: string;
  onChange: (text: string) => void;
  /** The API's 422 message when it names this editor's field, else null. */
  error: string | null;
  hint: ReactNode;
  /** The "try it" panel. */
  children: ReactNode;
}

export function RoutingField({ id, label, rows, placeholder, text, onChange, error, hint, children }: FieldProps) {
  return (
    <div className="field routing">
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
      </div>
      <textarea
        id={id}
        className="mono"
        rows={rows}
        spellCheck={false}
        value={text}
        placeholder={placeholder}
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? `${id}-error` : `${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error !== null ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}
