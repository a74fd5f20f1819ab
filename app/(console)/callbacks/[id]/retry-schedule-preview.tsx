"use client";
// The delay before each retry that the retry schedule, as edited, produces, and their sum:
// recomputed on every keystroke, nothing is sent.
import { previewRetrySchedule, type PacingText } from "@/lib/ui/pacing-form";

export function RetrySchedulePreview({ pacing, callbackRetries }: { pacing: PacingText; callbackRetries: number }) {
  const preview = previewRetrySchedule(pacing, callbackRetries);
  const own = pacing.retries.trim() !== "";
  return (
    <div className="retry-preview small" data-testid="retry-preview" aria-live="polite">
      {preview.ok ? (
        <p>
          <strong>
            {preview.retries} {preview.retries === 1 ? "retry" : "retries"}
          </strong>{" "}
          ({own ? "this destination's" : "the callback's"}
          {pacing.delayType === "" ? ", QStash's default backoff" : ""}): {preview.steps.length > 0 ? `${preview.steps.join(", ")}; ` : ""}
          {preview.total}.
        </p>
      ) : (
        <p className="muted">No preview: {preview.message}</p>
      )}
      <p className="hint">A receiver&apos;s Retry-After header (with a 429 or 503) sets the delay of the retry it answers instead.</p>
    </div>
  );
}
