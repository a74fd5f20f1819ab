"use client";
// Create or edit a callback. Fields come from the API's schema (FieldSpec), so options added to
// the API (e.g. inbound verification) appear here without a UI change.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { FieldSpec, FormValue } from "@/lib/ui/field-spec";
import { formPlacesError, readFormPayload, toRawForm, type RawForm } from "@/lib/ui/form-values";
import { FormError } from "@/app/_ui/field-error";
import type { TriggerTarget } from "@/lib/ui/trigger-snippets";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { SchemaFields } from "@/app/_ui/schema-fields";
import { TokenReveal } from "@/app/(console)/callbacks/token-reveal";
import { HandshakeHelp } from "@/app/(console)/callbacks/handshake-help";

interface Created {
  id: string;
  token: string;
  triggerUrl: string;
  methods: string[];
  path: string | null;
  pathTokenHeader: string | null;
}

interface Props {
  fields: FieldSpec[];
  appUrl: string;
  /** Absent: create a new callback. */
  callback?: FormValue & { id: string };
  disabled?: boolean;
}

export function CallbackForm({ fields, appUrl, callback, disabled }: Props) {
  const router = useRouter();
  const [raw, setRaw] = useState<RawForm>(() => toRawForm(fields, callback ?? {}));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const payload = readFormPayload(fields, raw, callback ? "edit" : "create");
    if (!payload.ok) return setError(payload.error);
    const body = payload.body;
    setBusy(true);
    const result = callback ? await apiCall("PATCH", `/api/callbacks/${callback.id}`, body) : await apiCall<Created>("POST", "/api/callbacks", body);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    if (callback) {
      setSaved(true);
      router.refresh();
    } else {
      setCreated(result.data as Created);
    }
  };

  if (created) {
    const target: TriggerTarget = { appUrl, methods: created.methods, path: created.path, pathTokenHeader: created.pathTokenHeader };
    return (
      <section className="panel">
        <h2>Callback created</h2>
        <TokenReveal token={created.token} triggerUrl={created.triggerUrl} target={target} />
        <p className="actions">
          <Link className="button" href={`/callbacks/${created.id}`}>
            Continue: add destinations
          </Link>
        </p>
      </section>
    );
  }
  return (
    <form className="stack form-grid" onSubmit={submit} aria-label={callback ? "Callback settings" : "New callback"}>
      <SchemaFields fields={fields} value={raw} onChange={setRaw} error={error} idPrefix={callback ? "cb-edit" : "cb-new"} disabled={disabled} />
      <HandshakeHelp form={raw} />
      <FormError error={error} shownAtField={(field) => formPlacesError(fields, field)} />
      {disabled ? null : (
        <p className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : callback ? "Save changes" : "Create callback"}
          </button>
          {saved ? <span className="ok">Saved.</span> : null}
        </p>
      )}
    </form>
  );
}
