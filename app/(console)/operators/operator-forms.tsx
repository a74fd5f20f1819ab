"use client";
// Admins add operators (typically read-only viewers) and remove them.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { FieldError, FormError, namedFieldShows } from "@/app/_ui/field-error";

export function OperatorForm() {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("viewer");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await apiCall("POST", "/api/operators", { username, password, role });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setUsername("");
    setPassword("");
    router.refresh();
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Add an operator">
      <div className="field">
        <label htmlFor="op-username">Username</label>
        <input id="op-username" value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="off" required />
        <FieldError error={error} field="username" />
      </div>
      <div className="field">
        <label htmlFor="op-password">Password (12+ characters)</label>
        <input id="op-password" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        <FieldError error={error} field="password" />
      </div>
      <div className="field">
        <label htmlFor="op-role">Role</label>
        <select id="op-role" value={role} onChange={(event) => setRole(event.target.value)}>
          <option value="viewer">viewer (read-only)</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <FormError error={error} shownAtField={namedFieldShows} />
      <p className="actions">
        <button type="submit" disabled={busy}>
          Add operator
        </button>
      </p>
    </form>
  );
}

export function DeleteOperator({ id, username }: { id: string; username: string }) {
  const router = useRouter();
  const remove = async () => {
    if (!window.confirm(`Remove ${username}? Their sessions end immediately.`)) return;
    const result = await apiCall("DELETE", `/api/operators/${id}`);
    if (result.ok) router.refresh();
    else window.alert(result.error.message);
  };
  return (
    <button type="button" className="danger small" onClick={remove} aria-label={`Remove ${username}`}>
      Remove
    </button>
  );
}
