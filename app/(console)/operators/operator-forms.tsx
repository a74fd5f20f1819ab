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

/** Any signed-in operator changes their own password; their other sessions end. */
export function ChangePasswordForm() {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    const result = await apiCall("POST", "/api/auth/password", { currentPassword, newPassword });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setCurrentPassword("");
    setNewPassword("");
    setDone(true);
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Change my password">
      <div className="field">
        <label htmlFor="pw-current">Current password</label>
        <input id="pw-current" type="password" autoComplete="current-password" value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} required />
        <FieldError error={error} field="currentPassword" />
      </div>
      <div className="field">
        <label htmlFor="pw-new">New password (12+ characters)</label>
        <input id="pw-new" type="password" autoComplete="new-password" value={newPassword} onChange={(event) => setNewPassword(event.target.value)} required />
        <FieldError error={error} field="newPassword" />
      </div>
      <FormError error={error} shownAtField={namedFieldShows} />
      <p className="actions">
        <button type="submit" disabled={busy}>
          Change my password
        </button>
        {done ? (
          <span className="ok" role="status">
            Changed. Your other sessions have ended.
          </span>
        ) : null}
      </p>
    </form>
  );
}

/** An admin sets another operator's password; that operator's sessions end. */
export function ResetPassword({ id, username }: { id: string; username: string }) {
  const [open, setOpen] = useState(false);
  const [newPassword, setNewPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await apiCall("POST", `/api/operators/${id}/password`, { newPassword });
    if (!result.ok) return setError(result.error);
    setNewPassword("");
    setOpen(false);
    setDone(true);
  };

  if (!open) {
    return (
      <>
        {done ? (
          <span className="ok" role="status">
            Password set.{" "}
          </span>
        ) : null}
        <button type="button" className="small" onClick={() => (setOpen(true), setDone(false))} aria-label={`Set a new password for ${username}`}>
          Set password
        </button>
      </>
    );
  }
  return (
    <form className="inline" onSubmit={submit} aria-label={`New password for ${username}`}>
      <input type="password" autoComplete="new-password" aria-label="New password (12+ characters)" value={newPassword} onChange={(event) => setNewPassword(event.target.value)} required />
      <button type="submit" className="small">
        Save
      </button>
      <button type="button" className="small link-button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <FieldError error={error} field="newPassword" />
      <FormError error={error} shownAtField={namedFieldShows} />
    </form>
  );
}
