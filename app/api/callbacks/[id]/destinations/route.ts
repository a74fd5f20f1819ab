// POST /api/callbacks/:id/destinations — adds a destination to a callback
import { withOperator } from "@/lib/auth/with-operator";
import { addDestination } from "@/lib/callbacks/callback-destinations";
import { getDb } from "@/lib/db";
import { destinationInputSchema } from "@/lib/destinations/destination-input";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { idParam } from "@/lib/http/params";

export const POST = withOperator<{ id: string }>(async ({ request, params }) => {
  const input = await readJson(request, destinationInputSchema);
  return json(await addDestination(getDb(), idParam(params.id), input), { status: 201 });
});
