// What one attempt sent or received: the recorded fields as JSON, then the body or payload on its
// own, indented when it is JSON and as text otherwise (see lib/ui/payload-view.ts).
import { prettyJson } from "@/lib/ui/format";
import { splitRecord } from "@/lib/ui/payload-view";

interface Props {
  summary: string;
  record: unknown;
  /** "request" or "response": names the test ids of the parts. */
  part: string;
  open: boolean;
}

export function AttemptRecord({ summary, record, part, open }: Props) {
  if (record === null || record === undefined) {
    return (
      <details open={open}>
        <summary>{summary}</summary>
        <pre data-testid={`${part}-meta`}>(none)</pre>
      </details>
    );
  }
  const { rest, payload } = splitRecord(record);
  return (
    <details open={open}>
      <summary>{summary}</summary>
      <pre data-testid={`${part}-meta`}>{prettyJson(rest)}</pre>
      {payload ? (
        <>
          <p className="payload-head small">
            {payload.key === "body" ? "Body" : "Payload"}{" "}
            <span className="chip" data-testid={`${part}-body-kind`}>
              {payload.format}
            </span>
            {payload.cut ? <span className="muted"> {payload.cut}</span> : null}
          </p>
          <pre data-testid={`${part}-body`}>{payload.text}</pre>
        </>
      ) : null}
    </details>
  );
}
