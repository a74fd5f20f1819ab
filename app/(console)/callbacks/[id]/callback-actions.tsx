"use client";
// Admin actions on a callback: rotate its token (shown once) and delete it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TriggerTarget } from "@/lib/ui/trigger-snippets";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { TokenReveal } from "@/app/(console)/callbacks/token-reveal";

export function RotateToken({ callbackId, target }: { callbackId: string; target: TriggerTarget }) {
  const [issued, setIssued] = useState<{ token: string; triggerUrl: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const rotate = async () => {
    if (!window.confirm("Issue a new token? The current token stops working immediately.")) return;
    setBusy(true);
    const result = await apiCall<{ token: string; triggerUrl: string }>("POST", `/api/callbacks/${callbackId}/rotate-token`);
    setBusy(false);
    if (result.ok) setIssued(result.data);
    else setError(result.error);
  };
  return (
    <div className="stack">
      <p className="actions">
        <button type="button" className="secondary" onClick={rotate} disabled={busy}>
          {busy ? "Rotating…" : "Rotate token"}
        </button>
      </p>
      {error ? <p className="form-error">{error.message}</p> : null}
      {issued ? <TokenReveal token={issued.token} triggerUrl={issued.triggerUrl} target={target} /> : null}
    </div>
  );
}

export function DeleteCallback({ callbackId, name }: { callbackId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm(`Delete the callback "${name}" and its destinations? Its delivery history stays readable.`)) return;
    const result = await apiCall("DELETE", `/api/callbacks/${callbackId}`);
    if (!result.ok) return setError(result.error.message);
    router.push("/callbacks");
    router.refresh();
  };
  return (
    <>
      <button type="button" className="danger" onClick={remove}>
        Delete callback
      </button>
      {error ? <span className="form-error">{error}</span> : null}
    </>
  );
}
