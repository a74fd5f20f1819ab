"use client";
// Create/replace and delete named secrets. The value goes to the API once and is never shown again.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { FieldError } from "@/app/_ui/field-error";

export function SecretForm({ existing }: { existing: string[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const replacing = existing.includes(name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (replacing && !window.confirm(`Replace the value of ${name}? Deliveries use the new value from now on.`)) return;
    setBusy(true);
    setError(null);
    const result = await apiCall<{ name: string }>("POST", "/api/secrets", { name, value });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setSaved(result.data.name);
    setName("");
    setValue("");
    router.refresh();
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Save a secret">
      <div className="field">
        <label htmlFor="secret-name">Name</label>
        <input id="secret-name" value={name} onChange={(event) => setName(event.target.value)} placeholder="STRIPE_API_KEY" autoComplete="off" required />
        <FieldError error={error} field="name" unnamed />
      </div>
      <div className="field">
        <label htmlFor="secret-value">Value</label>
        <input id="secret-value" type="password" autoComplete="new-password" value={value} onChange={(event) => setValue(event.target.value)} required />
        <FieldError error={error} field="value" />
      </div>
      <p className="actions">
        <button type="submit" disabled={busy}>
          {replacing ? "Replace secret" : "Save secret"}
        </button>
        {saved ? (
          <span className="ok">
            Saved {saved}. Use it as {`{secret:${saved}}`}.
          </span>
        ) : null}
      </p>
    </form>
  );
}

export function DeleteSecret({ name }: { name: string }) {
  const router = useRouter();
  const remove = async () => {
    if (!window.confirm(`Delete ${name}? Destinations that use {secret:${name}} will fail until it is set again.`)) return;
    const result = await apiCall("DELETE", `/api/secrets/${encodeURIComponent(name)}`);
    if (result.ok) router.refresh();
    else window.alert(result.error.message);
  };
  return (
    <button type="button" className="danger small" onClick={remove} aria-label={`Delete ${name}`}>
      Delete
    </button>
  );
}
