"use client";
// The destination's transform (JavaScript, run in the sandbox at delivery), its 422 message
// under it, and "Preview": the transform as edited (saved or not) run by the API against a sample
// request or a stored event, showing what it returns or the error it ends with.
import { useState } from "react";
import { routingOwns, transformPlaceholder, transformReturns } from "@/lib/ui/routing-form";
import { readTransformPreview, type TransformPreview } from "@/lib/ui/transform-preview";
import { apiCall, type ApiError } from "@/app/_ui/api-client";
import { RoutingField } from "@/app/(console)/callbacks/[id]/routing-field";
import { RoutingTry, type SampleAgainst } from "@/app/(console)/callbacks/[id]/routing-try";

interface Props {
  id: string;
  kind: string;
  /** Absent while the destination is being created: preview needs a saved destination. */
  destinationId?: string;
  text: string;
  onChange: (text: string) => void;
  error: ApiError | null;
}

export function TransformEditor({ id, kind, destinationId, text, onChange, error }: Props) {
  const [preview, setPreview] = useState<TransformPreview | null>(null);
  const failed = error !== null && routingOwns(error.field) === "transform";

  const run = async (against: SampleAgainst) => {
    if (!against.ok) return setPreview({ state: "error", message: against.error.message });
    // The editor's text, saved or not; empty previews the templates alone.
    const body = { ...against.body, transform: text.trim() === "" ? null : text };
    const result = await apiCall<unknown>("POST", `/api/destinations/${destinationId}/preview`, body);
    setPreview(result.ok ? readTransformPreview(result.data) : { state: "error", message: result.error.message });
  };

  return (
    <RoutingField
      id={id}
      label="Transform (JavaScript)"
      rows={8}
      placeholder={transformPlaceholder}
      text={text}
      onChange={onChange}
      error={failed ? error.message : null}
      hint={
        <>
          <code>function transform(event)</code> runs in a sandbox at each delivery (no I/O, 50 ms, 16 MB) with <code>event</code> ={" "}
          <code>{"{method, path, query, headers, body, vars}"}</code>. It returns <code>{transformReturns[kind] ?? "the message"}</code>, or <code>null</code> to skip the delivery. Empty:
          the templates above shape the message.
        </>
      }
    >
      <RoutingTry
        id={id}
        destinationId={destinationId}
        purpose="preview its transform"
        labels={{ open: "Preview transform", close: "Close transform preview", group: "Transform preview", run: "Run preview", running: "Running…" }}
        onReset={() => setPreview(null)}
        onRun={run}
      >
        {preview ? <PreviewOutcome preview={preview} /> : null}
      </RoutingTry>
    </RoutingField>
  );
}

function PreviewOutcome({ preview }: { preview: TransformPreview }) {
  switch (preview.state) {
    case "error":
      return (
        <div className="preview-error" role="alert" data-testid="transform-preview">
          <div className="copy-head">The transform fails: the delivery would be failed</div>
          <pre>{preview.message}</pre>
        </div>
      );
    case "dropped":
      return (
        <p role="status" data-testid="transform-preview">
          <span className="badge status-skipped">skipped</span> The transform returned null: the delivery would be skipped ({preview.reason}).
        </p>
      );
    case "none":
      return (
        <p role="status" data-testid="transform-preview">
          No transform is saved: the templates shape the message.
        </p>
      );
    case "output":
      return (
        <div role="status" data-testid="transform-preview">
          <div className="copy-head">The transform returns (nothing was sent)</div>
          <pre>{preview.fields}</pre>
          {preview.payload ? (
            <>
              <p className="payload-head small">
                {preview.payload.key === "body" ? "Body" : "Payload"} <span className="chip">{preview.payload.format}</span>
              </p>
              <pre data-testid="transform-preview-body">{preview.payload.text}</pre>
            </>
          ) : null}
        </div>
      );
  }
}
