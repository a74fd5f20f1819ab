"use client";
// Username + password → POST /api/auth/login; the API's error is shown next to the field it names.
import { useState, type FormEvent } from "react";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { FieldError, FormError, namedFieldShows } from "@/app/_ui/field-error";

export function LoginForm({ next }: { next: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await apiCall("POST", "/api/auth/login", { username, password });
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setError(result.error);
    setBusy(false);
  };

  return (
    <form onSubmit={submit} className="stack">
      <div className="field">
        <label htmlFor="login-username">Username</label>
        <input id="login-username" name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required autoFocus />
        <FieldError error={error} field="username" />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        <FieldError error={error} field="password" />
      </div>
      <FormError error={error} shownAtField={namedFieldShows} />
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
