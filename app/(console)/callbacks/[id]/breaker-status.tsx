"use client";
// A destination's circuit breaker: failures in a row against its threshold and, once disabled,
// why — with "Enable" for admins (POST /api/destinations/:id/enable also resets the count).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/app/_ui/api-client";

interface Props {
  destinationId: string;
  enabled: boolean;
  consecutiveFailures: number;
  failureThreshold: number | null;
  disabledReason: string | null;
  canWrite: boolean;
}

export function BreakerStatus({ destinationId, enabled, consecutiveFailures, failureThreshold, disabledReason, canWrite }: Props) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const enable = async () => {
    setBusy(true);
    setError(null);
    const result = await apiCall("POST", `/api/destinations/${destinationId}/enable`);
    setBusy(false);
    if (result.ok) router.refresh();
    else setError(result.error.message);
  };

  const streak = `${consecutiveFailures} failure${consecutiveFailures === 1 ? "" : "s"} in a row`;
  const counter = (
    <p className={consecutiveFailures > 0 ? "breaker warn" : "breaker muted"} data-testid="breaker-count">
      {failureThreshold === null ? `Circuit breaker off · ${streak}` : `Circuit breaker: ${consecutiveFailures} of ${failureThreshold} failures in a row`}
    </p>
  );
  if (enabled) return counter;
  return (
    <div className="disabled-banner" role="status">
      <p>
        <strong>Disabled</strong> — {disabledReason ?? "turned off by an operator"}. Triggers are not delivered here until it is enabled
        {canWrite ? "." : " by an admin."}
      </p>
      {counter}
      {canWrite ? (
        <p className="actions">
          <button type="button" onClick={enable} disabled={busy}>
            {busy ? "Enabling…" : "Enable"}
          </button>
          <span className="muted small">Starts counting failures from 0 again.</span>
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
