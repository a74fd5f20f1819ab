"use client";
// Renders a destination's templates against a sample request (nothing is sent). Viewers may
// preview too; secrets render masked.
import { useState, type FormEvent } from "react";
import { apiCall } from "@/app/_ui/api-client";

const sampleBody = '{\n  "hello": "world"\n}';

export function TemplatePreview({ destinationId }: { destinationId: string }) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState(sampleBody);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown = body;
    try {
      parsed = body.trim() === "" ? undefined : JSON.parse(body);
    } catch {
      // not JSON: preview it as a raw text body
    }
    const response = await apiCall<unknown>("POST", `/api/destinations/${destinationId}/preview`, { sample: { body: parsed } });
    if (response.ok) setResult({ ok: true, text: JSON.stringify(response.data, null, 2) });
    else if (response.status === 404 || response.status === 405) setResult({ ok: false, text: "Template preview is not available on this server." });
    else setResult({ ok: false, text: response.error.message.split("; ").join("\n") });
  };

  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Preview templates
      </button>
    );
  }
  return (
    <form className="preview stack" onSubmit={run} aria-label="Template preview">
      <div className="field">
        <label htmlFor={`preview-${destinationId}`}>Sample request body (JSON or text)</label>
        <textarea id={`preview-${destinationId}`} rows={4} value={body} onChange={(event) => setBody(event.target.value)} />
      </div>
      <p className="actions">
        <button type="submit">Render</button>
        <button type="button" className="secondary" onClick={() => (setOpen(false), setResult(null))}>
          Close preview
        </button>
      </p>
      {result ? (
        <div className={result.ok ? "" : "preview-error"} role="status">
          <div className="copy-head">{result.ok ? "Rendered — nothing was sent" : "Cannot render"}</div>
          <pre>{result.text}</pre>
        </div>
      ) : null}
    </form>
  );
}
