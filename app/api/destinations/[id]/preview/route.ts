// POST /api/destinations/:id/preview — renders a destination against a sample or a past event, sending nothing
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { previewDestination, previewInputSchema } from "@/lib/deliveries/preview-destination";
import { idParam } from "@/lib/http/params";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(
  async ({ request, params }) => {
    const input = await readJson(request, previewInputSchema);
    const result = await previewDestination(getDb(), idParam(params.id), input);
    if (result.ok) return json(result.preview);
    const [first] = result.issues;
    const message = result.issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ");
    return json({ error: { code: "validation_failed", message, field: first?.field, issues: result.issues } }, { status: 422 });
  },
  // Rendering changes nothing: viewers may preview too.
  { write: false },
);
