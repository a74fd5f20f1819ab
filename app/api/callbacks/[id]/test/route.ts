// POST /api/callbacks/:id/test — fires a synthetic trigger through the queue
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { fireTest, testFireSchema } from "@/lib/triggers/fire-test";

export const POST = withOperator<{ id: string }>(async ({ request, params }) => {
  const input = await readJson(request, testFireSchema);
  return json(await fireTest(getDb(), idParam(params.id), input), { status: 202 });
});
