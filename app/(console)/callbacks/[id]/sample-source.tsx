"use client";
// What "Test filter" and "Preview" run against: a sample request written as JSON, or a stored
// event of this callback by its ID (shown on each delivery's page).
import type { SampleChoice } from "@/lib/ui/routing-form";

interface Props {
  id: string;
  value: SampleChoice;
  onChange: (next: SampleChoice) => void;
  /** The text kept while the event is chosen, so switching back loses nothing. */
  sampleText: string;
}

export function SampleSource({ id, value, onChange, sampleText }: Props) {
  return (
    <fieldset className="sample-source">
      <legend>Run against</legend>
      <div className="choice-row">
        <label className="field-check">
          <input type="radio" name={`${id}-source`} checked={value.source === "sample"} onChange={() => onChange({ source: "sample", text: sampleText })} />a sample request
        </label>
        <label className="field-check">
          <input type="radio" name={`${id}-source`} checked={value.source === "event"} onChange={() => onChange({ source: "event", eventId: "" })} />a stored event
        </label>
      </div>
      {value.source === "sample" ? (
        <div className="field">
          <label htmlFor={`${id}-sample`}>Sample request (JSON: method, path, query, headers, body)</label>
          <textarea id={`${id}-sample`} className="mono" rows={7} spellCheck={false} value={value.text} onChange={(event) => onChange({ source: "sample", text: event.target.value })} />
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-event`}>Event ID</label>
          <input
            id={`${id}-event`}
            className="mono"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={value.eventId}
            onChange={(event) => onChange({ source: "event", eventId: event.target.value })}
            // Inside the destination form: Enter here must not save the destination.
            onKeyDown={(event) => {
              if (event.key === "Enter") event.preventDefault();
            }}
          />
          <p className="hint">A delivery&apos;s page shows its event ID; the event must belong to this callback.</p>
        </div>
      )}
    </fieldset>
  );
}
