"use client";
// Pause and resume, for a destination (its card) and for a callback (the page header): a
// "paused · N held" badge with the count QStash holds (read from GET /api/destinations/:id, again
// every few seconds while paused), who paused it, and the Pause / Resume buttons for admins.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { canResumeHere, holdBadgeText, holdExplanation, sumHeld, type HoldState, type PausedReason } from "@/lib/ui/hold-status";
import { formatTime } from "@/lib/ui/format";
import { apiCall } from "@/app/_ui/api-client";

/** Held counts change as triggers arrive while paused; QStash is asked again this often. */
const heldRefreshMs = 4000;

interface Held {
  /** undefined until read or when not paused; null when QStash could not be read. */
  count: number | null | undefined;
  /** Why the count is unknown, as the API says it. */
  note?: string;
}

interface HeldAnswer {
  count: number | null;
  note?: string;
}

/**
 * One read of a destination's held count serves every poller on the page for half a refresh: the
 * callback header and each destination card poll the same destinations, and each read asks QStash
 * and the database.
 */
const recentReads = new Map<string, { at: number; answer: Promise<HeldAnswer> }>();

function readHeld(id: string): Promise<HeldAnswer> {
  const recent = recentReads.get(id);
  if (recent && Date.now() - recent.at < heldRefreshMs / 2) return recent.answer;
  const answer = apiCall<{ heldDeliveries?: number | null; heldNote?: string }>("GET", `/api/destinations/${id}`).then((result) =>
    result.ok ? { count: result.data.heldDeliveries ?? null, note: result.data.heldNote } : { count: null, note: result.error.message },
  );
  recentReads.set(id, { at: Date.now(), answer });
  return answer;
}

/** The deliveries QStash holds for these destinations while paused. */
function useHeldDeliveries(destinationIds: readonly string[], paused: boolean): Held {
  const [held, setHeld] = useState<Held>({ count: undefined });
  const key = destinationIds.join(",");
  useEffect(() => {
    if (!paused) return;
    let stopped = false;
    const read = async () => {
      const answers = await Promise.all(key.split(",").filter(Boolean).map(readHeld));
      if (!stopped) setHeld({ count: sumHeld(answers.map((answer) => answer.count)), note: answers.find((answer) => answer.note)?.note });
    };
    void read();
    const timer = setInterval(() => void read(), heldRefreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key, paused]);
  return paused ? held : { count: undefined };
}

/** POSTs pause or resume and refreshes the page; the error, if any, for the caller to show. */
function useHoldAction(path: string) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: "pause" | "resume") => {
    setBusy(true);
    setError(null);
    const result = await apiCall("POST", `${path}/${action}`);
    setBusy(false);
    if (result.ok) router.refresh();
    else setError(result.error.message);
  };
  return { busy, error, run };
}

function PausedBadge({ state }: { state: HoldState }) {
  const text = holdBadgeText(state);
  return text ? (
    <span className="badge status-queued" data-testid="paused-badge" role="status">
      {text}
    </span>
  ) : null;
}

function HoldError({ error }: { error: string | null }) {
  return error ? (
    <span className="form-error" role="alert">
      {error}
    </span>
  ) : null;
}

interface DestinationHoldProps {
  destinationId: string;
  paused: boolean;
  pausedReason: PausedReason | null;
  pausedAt: string | null;
  canWrite: boolean;
}

export function DestinationHold({ destinationId, paused, pausedReason, pausedAt, canWrite }: DestinationHoldProps) {
  const held = useHeldDeliveries([destinationId], paused);
  const { busy, error, run } = useHoldAction(`/api/destinations/${destinationId}`);
  const state: HoldState = { paused, pausedReason, heldDeliveries: held.count };
  if (!paused) {
    return canWrite ? (
      <div className="actions hold-actions">
        <button type="button" className="secondary" onClick={() => run("pause")} disabled={busy}>
          {busy ? "Pausing…" : "Pause"}
        </button>
        <span className="muted small">Holds new deliveries in QStash until resumed.</span>
        <HoldError error={error} />
      </div>
    ) : null;
  }
  return (
    <div className="paused-banner" data-testid="hold-status">
      <p>
        <PausedBadge state={state} /> {holdExplanation(state, "destination")}
        {pausedAt ? <span className="muted small"> Since {formatTime(pausedAt)}.</span> : null}
        {held.count === null && held.note ? <span className="muted small"> {held.note}.</span> : null}
      </p>
      {canWrite && canResumeHere(state) ? (
        <p className="actions">
          <button type="button" onClick={() => run("resume")} disabled={busy}>
            {busy ? "Resuming…" : "Resume"}
          </button>
        </p>
      ) : null}
      <HoldError error={error} />
    </div>
  );
}

/** The callback header's badge: paused, with the deliveries held for all its destinations. */
export function CallbackHoldBadge({ paused, destinationIds }: { paused: boolean; destinationIds: string[] }) {
  const held = useHeldDeliveries(destinationIds, paused);
  const state: HoldState = { paused, pausedReason: null, heldDeliveries: held.count };
  return paused ? (
    <span title={[holdExplanation(state, "callback"), held.count === null ? held.note : undefined].filter(Boolean).join(" ")}>
      <PausedBadge state={state} />
    </span>
  ) : null;
}

/** Pause or resume every destination of the callback (admins only). */
export function CallbackHoldButton({ callbackId, paused }: { callbackId: string; paused: boolean }) {
  const { busy, error, run } = useHoldAction(`/api/callbacks/${callbackId}`);
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => run(paused ? "resume" : "pause")}
        disabled={busy}
        title={paused ? "Releases the held deliveries (in order for FIFO destinations)" : "Holds the deliveries of every destination in QStash until resumed"}
      >
        {busy ? (paused ? "Resuming…" : "Pausing…") : paused ? "Resume callback" : "Pause callback"}
      </button>
      <HoldError error={error} />
    </>
  );
}
