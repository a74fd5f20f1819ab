// POST /api/destinations/:id/replay — replays a destination's dead (or failed) deliveries in a time range, optionally only those whose event matches a filter, in QStash batches
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { bulkReplaySchema, replayDestination } from "@/lib/deliveries/bulk-replay";
import { idParam } from "@/lib/http/params";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ request, params }) => {
  const id = idParam(params.id);
  const input = await readJson(request, bulkReplaySchema);
  return json(await replayDestination(getDb(), id, input), { status: 202 });
});
