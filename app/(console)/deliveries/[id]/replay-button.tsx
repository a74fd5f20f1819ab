"use client";
// Replays a delivery (same event, same destination, new delivery id) and opens the new one.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiCall } from "@/app/_ui/api-client";

export function ReplayButton({ deliveryId }: { deliveryId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const replay = async () => {
    setBusy(true);
    setError(null);
    const result = await apiCall<{ deliveryId: string }>("POST", `/api/deliveries/${deliveryId}/replay`);
    setBusy(false);
    if (result.ok) router.push(`/deliveries/${result.data.deliveryId}`);
    else setError(result.error.message);
  };
  return (
    <>
      <button type="button" onClick={replay} disabled={busy}>
        {busy ? "Replaying…" : "Replay"}
      </button>
      {error ? <span className="form-error">{error}</span> : null}
    </>
  );
}
