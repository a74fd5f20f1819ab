"use client";
// The "try it" panel the filter and transform editors share: a toggle, what to run against (a
// sample request or a stored event) and a run button; the editor says what running means and
// renders its own outcome below.
import { useState, type ReactNode } from "react";
import { sampleInput, sampleRequestText, type SampleChoice } from "@/lib/ui/routing-form";
import { SampleSource } from "@/app/(console)/callbacks/[id]/sample-source";

export type SampleAgainst = ReturnType<typeof sampleInput>;

interface Props {
  id: string;
  /** Absent while the destination is being created: both need a saved destination. */
  destinationId?: string;
  /** What the panel does, for the hint shown before the first save ("test its filter"). */
  purpose: string;
  labels: { open: string; close: string; group: string; run: string; running: string };
  /** Clears the editor's last outcome (when the panel opens or closes). */
  onReset: () => void;
  onRun: (against: SampleAgainst) => Promise<void>;
  children: ReactNode;
}

export function RoutingTry({ id, destinationId, purpose, labels, onReset, onRun, children }: Props) {
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<SampleChoice>({ source: "sample", text: sampleRequestText });
  const [sampleText, setSampleText] = useState(sampleRequestText);
  const [busy, setBusy] = useState(false);

  if (!destinationId) return <p className="hint">Save the destination to {purpose} against a sample or a stored event.</p>;

  const choose = (next: SampleChoice) => {
    if (next.source === "sample") setSampleText(next.text);
    setChoice(next);
  };
  const run = async () => {
    onReset();
    setBusy(true);
    try {
      await onRun(sampleInput(choice));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} onClick={() => (setOpen(!open), onReset())}>
          {open ? labels.close : labels.open}
        </button>
      </div>
      {open ? (
        <div className="routing-test" role="group" aria-label={labels.group}>
          <SampleSource id={`${id}-try`} value={choice} onChange={choose} sampleText={sampleText} />
          <div className="actions">
            <button type="button" onClick={run} disabled={busy}>
              {busy ? labels.running : labels.run}
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </>
  );
}
