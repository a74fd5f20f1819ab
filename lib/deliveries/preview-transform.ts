// The transform's part of a preview: run the destination's transform on the sample or stored
// event exactly as a delivery would (same sandbox, same limits, the callback's variables), and
// say what it returned, that it drops the event, or why it fails.
import type { DeliveryJob } from "@/lib/deliveries/job";
import { droppedByTransform, runTransform } from "@/lib/transforms/run-transform";
import type { TransformedMessage, TransformKind } from "@/lib/transforms/transform-output";

export type TransformPreview = { status: "message"; output: TransformedMessage } | { status: "dropped"; reason: string };

export type TransformPreviewResult = { ok: true; preview?: TransformPreview } | { ok: false; issue: { field: "transform"; message: string } };

export async function previewTransform(source: string | null, kind: TransformKind, job: DeliveryJob, vars: Record<string, string>): Promise<TransformPreviewResult> {
  if (!source) return { ok: true };
  const verdict = await runTransform({ kind, source, eventId: job.eventId, request: job.request, vars });
  if (verdict.status === "failed") return { ok: false, issue: { field: "transform", message: verdict.error } };
  if (verdict.status === "dropped") return { ok: true, preview: { status: "dropped", reason: droppedByTransform } };
  return { ok: true, preview: { status: "message", output: verdict.message } };
}

/** The body or payload the transform produced, as the preview's `payload`. */
export function transformedPayload(preview: TransformPreview | undefined): string | null | undefined {
  if (!preview) return undefined;
  if (preview.status === "dropped") return null;
  return preview.output.kind === "http" ? preview.output.body : preview.output.payload;
}
