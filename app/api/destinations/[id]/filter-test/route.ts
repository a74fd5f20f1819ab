// POST /api/destinations/:id/filter-test — runs a filter against a sample or a stored event, sending nothing
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { filterTestInputSchema, testDestinationFilter } from "@/lib/triggers/filter-test";

export const POST = withOperator<{ id: string }>(
  async ({ request, params }) => {
    const input = await readJson(request, filterTestInputSchema);
    return json(await testDestinationFilter(getDb(), idParam(params.id), input));
  },
  // Testing changes nothing: viewers may test too, as they may preview.
  { write: false },
);
