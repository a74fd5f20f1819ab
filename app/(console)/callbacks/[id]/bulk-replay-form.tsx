"use client";
// "Replay dead/failed deliveries" for one destination (admins): status and time range, then
// POST /api/destinations/:id/replay. Originals already replayed are left out by the API, so
// pressing it twice sends nothing twice.
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { defaultReplayPreset, replayBounds, replayPresets, type ReplayPreset } from "@/lib/ui/replay-range";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { FieldError, FormError } from "@/app/_ui/field-error";

interface ReplayAnswer {
  replayed: number;
  skipped: number;
  deliveryIds: string[];
}

type RangeChoice = ReplayPreset | "custom";

export function BulkReplayForm({ destinationId, enabled, onClose }: { destinationId: string; enabled: boolean; onClose: () => void }) {
  const [status, setStatus] = useState<"dead" | "failed">("dead");
  const [range, setRange] = useState<RangeChoice>(defaultReplayPreset);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [answer, setAnswer] = useState<ReplayAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `replay-${destinationId.slice(-8)}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setAnswer(null);
    const bounds = replayBounds(range === "custom" ? { preset: "custom", from, to } : { preset: range });
    if ("error" in bounds) return setError({ code: "invalid", field: bounds.field, message: bounds.error });
    setBusy(true);
    const result = await apiCall<ReplayAnswer>("POST", `/api/destinations/${destinationId}/replay`, { status, ...bounds });
    setBusy(false);
    if (result.ok) setAnswer(result.data);
    else setError(result.error);
  };

  return (
    <form className="replay-form" onSubmit={submit} aria-label="Replay dead/failed deliveries">
      <h4>Replay dead/failed deliveries</h4>
      {enabled ? null : <p className="warn small">The destination is disabled: enable it first, or the replay is refused.</p>}
      <div className="replay-fields">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value === "failed" ? "failed" : "dead")}>
            <option value="dead">dead (retries exhausted)</option>
            <option value="failed">failed (permanent error)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-range`}>Created</label>
          <select id={`${id}-range`} value={range} onChange={(event) => setRange(event.target.value as RangeChoice)}>
            {Object.keys(replayPresets).map((preset) => (
              <option key={preset} value={preset}>
                last {preset}
              </option>
            ))}
            <option value="custom">custom (UTC)</option>
          </select>
        </div>
        {range === "custom" ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-from`}>From (UTC)</label>
              <input id={`${id}-from`} type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
              <FieldError error={error} field="from" />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>To (UTC)</label>
              <input id={`${id}-to`} type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
              <FieldError error={error} field="to" />
            </div>
          </>
        ) : null}
      </div>
      <p className="hint">Each matching delivery is sent again as a new delivery, oldest first, at most 100 per request; ones already replayed are left out.</p>
      <FormError error={error} shownAtField={(field) => field === "from" || field === "to"} />
      <p className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Replaying…" : "Replay"}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </p>
      {answer ? <ReplayResult answer={answer} destinationId={destinationId} status={status} /> : null}
    </form>
  );
}

function ReplayResult({ answer, destinationId, status }: { answer: ReplayAnswer; destinationId: string; status: string }) {
  const nothing = answer.replayed === 0 && answer.skipped === 0;
  return (
    <p className={nothing ? "muted" : "ok"} role="status" data-testid="replay-result">
      Replayed {answer.replayed}, skipped {answer.skipped}
      {answer.skipped > 0 ? " (their request is no longer retained)" : ""}
      {nothing ? `: no ${status} delivery in that range that was not replayed already` : ""}.{" "}
      <Link href={`/deliveries?destinationId=${destinationId}`}>Delivery log of this destination</Link>
    </p>
  );
}
