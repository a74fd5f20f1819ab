"use client";
// The alert webhook form: the generated HTTP destination form plus on/off and retries, saved with
// PUT /api/settings/alerts. Stored credentials come back as "***" and are kept when sent back.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { FieldSpec, FormValue } from "@/lib/ui/field-spec";
import { formPlacesError, readFormPayload, toRawForm, type RawForm } from "@/lib/ui/form-values";
import { FormError } from "@/app/_ui/field-error";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { CopyBlock } from "@/app/_ui/copy-button";
import { SchemaFields } from "@/app/_ui/schema-fields";

interface SavedSettings extends FormValue {
  signingSecret?: string;
}

/** `settings`: the stored settings (credentials masked), null when none are configured. */
export function AlertSettingsForm({ fields, settings }: { fields: FieldSpec[]; settings: FormValue | null }) {
  const router = useRouter();
  const [raw, setRaw] = useState<RawForm>(() => toRawForm(fields, settings ?? {}));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [signingSecret, setSigningSecret] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    // PUT replaces the settings: blanks take the server's defaults, as on create.
    const payload = readFormPayload(fields, raw, "create");
    if (!payload.ok) return setError(payload.error);
    const body = payload.body;
    setBusy(true);
    const result = await apiCall<SavedSettings>("PUT", "/api/settings/alerts", body);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    // Show what was stored (credentials masked again), not what was typed.
    setRaw(toRawForm(fields, result.data));
    setSaved(true);
    if (result.data.signingSecret) setSigningSecret(result.data.signingSecret);
    router.refresh();
  };

  const remove = async () => {
    if (!window.confirm("Delete the alert webhook? No alert is recorded or sent until one is configured again.")) return;
    setError(null);
    const result = await apiCall("DELETE", "/api/settings/alerts");
    if (!result.ok) return setError(result.error);
    setRaw(toRawForm(fields, {}));
    setSaved(false);
    setSigningSecret(null);
    router.refresh();
  };

  return (
    <form className="stack form-grid" onSubmit={submit} aria-label="Alert webhook">
      <SchemaFields fields={fields} value={raw} onChange={(next) => (setRaw(next), setSaved(false))} error={error} idPrefix="alerts" />
      <p className="hint">
        The receiver gets a <code>POST</code> whose JSON body is the alert; templates read it as <code>{"{body.type}"}</code>, <code>{"{body.reason}"}</code> or{" "}
        <code>{"{body.destinationName}"}</code>. Stored credentials show as <code>***</code>; leave them to keep the stored value.
      </p>
      <FormError error={error} shownAtField={(field) => formPlacesError(fields, field)} />
      {signingSecret ? (
        <div className="reveal" role="status">
          <p>
            <strong>Signing secret — shown once.</strong> The receiver verifies the webhook-signature header with it (Standard Webhooks).
          </p>
          <CopyBlock label="Signing secret" value={signingSecret} />
        </div>
      ) : null}
      <p className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : "Save alert webhook"}
        </button>
        {settings ? (
          <button type="button" className="danger" onClick={remove}>
            Delete alert webhook
          </button>
        ) : null}
        {saved ? (
          <span className="ok" role="status">
            Saved.
          </span>
        ) : null}
      </p>
    </form>
  );
}
