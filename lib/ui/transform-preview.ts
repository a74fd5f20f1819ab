// What the destination preview answers about its transform, as the transform editor shows it: the
// message the transform returned (its body or payload indented when JSON), null (the delivery
// would be skipped), no transform at all, or the error it ends with (a 422 naming `transform`).
import { prettyJson } from "@/lib/ui/format";
import { isRecord, splitRecord, type PayloadView } from "@/lib/ui/payload-view";

export type TransformPreview =
  { state: "output"; fields: string; payload: PayloadView | null } | { state: "dropped"; reason: string } | { state: "none" } | { state: "error"; message: string };

/** Reads a 200 answer of POST /api/destinations/:id/preview. */
export function readTransformPreview(data: unknown): TransformPreview {
  const transform = isRecord(data) ? data.transform : undefined;
  if (!isRecord(transform)) return { state: "none" };
  if (transform.status === "dropped") return { state: "dropped", reason: typeof transform.reason === "string" ? transform.reason : "dropped by transform" };
  const { rest, payload } = splitRecord(transform.output);
  const fields = isRecord(rest) ? Object.fromEntries(Object.entries(rest).filter(([key]) => key !== "kind")) : rest;
  return { state: "output", fields: prettyJson(fields), payload };
}
