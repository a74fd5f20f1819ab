"use client";
// "Send test" for one destination: fires a test trigger, then polls the delivery until it
// reaches a final status, showing progress live. The final status is recorded together with the
// destination's failure count (and the circuit breaker), so the page is refreshed to show them.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { apiCall } from "@/app/_ui/api-client";
import { StatusBadge } from "@/app/_ui/status-badge";

const finalStatuses = new Set(["succeeded", "failed", "dead", "skipped"]);
const pollMs = 700;
const giveUpMs = 60_000;

interface Progress {
  deliveryId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
}

export function TestRun({ callbackId, destinationId }: { callbackId: string; destinationId: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const poll = async (deliveryId: string, deadline: number) => {
    while (alive.current && Date.now() < deadline) {
      const result = await apiCall<Progress>("GET", `/api/deliveries/${deliveryId}`);
      if (result.ok) {
        setProgress({ ...result.data, deliveryId });
        if (finalStatuses.has(result.data.status)) return router.refresh();
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    if (alive.current) setError("Still queued after a minute: QStash will keep retrying. Follow it in the delivery log.");
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    setProgress(null);
    const result = await apiCall<{ deliveries: Array<{ id: string }> }>("POST", `/api/callbacks/${callbackId}/test`, { destinationIds: [destinationId] });
    const deliveryId = result.ok ? result.data.deliveries[0]?.id : undefined;
    if (!result.ok) setError(result.error.message);
    else if (!deliveryId) setError("Nothing was sent: the destination is disabled.");
    else {
      setProgress({ deliveryId, status: "queued", attempts: 0, lastError: null, lastStatusCode: null });
      await poll(deliveryId, Date.now() + giveUpMs);
    }
    setBusy(false);
  };

  return (
    <div className="test-run">
      <button type="button" className="secondary" onClick={send} disabled={busy}>
        {busy ? "Testing…" : "Send test"}
      </button>
      {progress ? (
        <span className="test-result" aria-live="polite" data-testid="test-result">
          <StatusBadge status={progress.status} /> {progress.attempts} attempt{progress.attempts === 1 ? "" : "s"}
          {progress.lastStatusCode ? ` · HTTP ${progress.lastStatusCode}` : ""}
          {progress.lastError ? <span className="form-error"> {progress.lastError}</span> : null} <Link href={`/deliveries/${progress.deliveryId}`}>details</Link>
        </span>
      ) : null}
      {error ? <span className="form-error">{error}</span> : null}
    </div>
  );
}
