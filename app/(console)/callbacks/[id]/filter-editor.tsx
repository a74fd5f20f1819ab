"use client";
// The destination's filter as JSON text, its 422 message under it, and "Test filter": the text
// as it stands (saved or not) run by the API against a sample request or a stored event.
import { useState } from "react";
import { readFilterText, routingOwns } from "@/lib/ui/routing-form";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { RoutingField } from "@/app/(console)/callbacks/[id]/routing-field";
import { RoutingTry, type SampleAgainst } from "@/app/(console)/callbacks/[id]/routing-try";

interface Props {
  id: string;
  /** Absent while the destination is being created: filter-test needs a saved destination. */
  destinationId?: string;
  text: string;
  onChange: (text: string) => void;
  error: ApiError | null;
}

type Outcome = { kind: "result"; matched: boolean; reasons: string[] } | { kind: "none" } | { kind: "error"; message: string };

const filterExample = '{"body": {"type": ["order.created"]}}';

export function FilterEditor({ id, destinationId, text, onChange, error }: Props) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const failed = error !== null && routingOwns(error.field) === "filter";

  const run = async (against: SampleAgainst) => {
    const filter = readFilterText(text);
    if (!filter.ok) return setOutcome({ kind: "error", message: filter.error.message });
    if (filter.filter === undefined) return setOutcome({ kind: "none" });
    if (!against.ok) return setOutcome({ kind: "error", message: against.error.message });
    const result = await apiCall<{ matched: boolean; reasons: string[] }>("POST", `/api/destinations/${destinationId}/filter-test`, { filter: filter.filter, ...against.body });
    if (result.ok) setOutcome({ kind: "result", matched: result.data.matched, reasons: result.data.reasons });
    else setOutcome({ kind: "error", message: result.error.message });
  };

  return (
    <RoutingField
      id={id}
      label="Filter (JSON)"
      rows={4}
      placeholder={filterExample}
      text={text}
      onChange={onChange}
      error={failed ? error.message : null}
      hint={
        <>
          Only triggers this matches are delivered here; the rest are recorded as filtered out. Keys: <code>method</code>, <code>path</code>, <code>query</code>, <code>headers</code>,{" "}
          <code>body</code>; a list means any of; operators such as <code>{'{"prefix": "…"}'}</code>, <code>{'{"numeric": [">", 0]}'}</code>, <code>{'{"exists": true}'}</code>,{" "}
          <code>$or</code>, <code>$not</code>. Empty: every trigger.
        </>
      }
    >
      <RoutingTry
        id={id}
        destinationId={destinationId}
        purpose="test its filter"
        labels={{ open: "Test filter", close: "Close filter test", group: "Filter test", run: "Run filter test", running: "Testing…" }}
        onReset={() => setOutcome(null)}
        onRun={run}
      >
        {outcome ? <FilterOutcome outcome={outcome} /> : null}
      </RoutingTry>
    </RoutingField>
  );
}

function FilterOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "error") {
    return (
      <p className="field-error" role="alert" data-testid="filter-test-result">
        {outcome.message}
      </p>
    );
  }
  if (outcome.kind === "none") {
    return (
      <p role="status" data-testid="filter-test-result">
        No filter: every trigger reaches this destination.
      </p>
    );
  }
  return (
    <div role="status" data-testid="filter-test-result">
      <p>
        <span className={`badge ${outcome.matched ? "status-succeeded" : "status-skipped"}`}>{outcome.matched ? "matched" : "not matched"}</span>{" "}
        {outcome.matched ? "This request would be delivered here." : "This request would be filtered out:"}
      </p>
      {outcome.reasons.length > 0 ? (
        <ul className="reasons">
          {outcome.reasons.map((reason) => (
            <li key={reason} className="mono small">
              {reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
