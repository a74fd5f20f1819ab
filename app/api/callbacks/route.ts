// GET|POST /api/callbacks — lists callbacks; creates one (with its destinations, atomically)
import { withOperator } from "@/lib/auth/with-operator";
import { callbackCreateSchema } from "@/lib/callbacks/callback-input";
import { createCallback, listCallbacks } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async () => json({ items: await listCallbacks(getDb()) }));

export const POST = withOperator(async ({ request }) => {
  const input = await readJson(request, callbackCreateSchema);
  return json(await createCallback(getDb(), input), { status: 201 });
});
