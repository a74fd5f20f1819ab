// GET|POST /api/secrets — lists secret names; creates or replaces one (values are write-only)
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";
import { listSecrets, putSecret, secretInputSchema } from "@/lib/secrets/manage-secrets";

export const GET = withOperator(async () => json({ items: await listSecrets(getDb()) }));

export const POST = withOperator(async ({ request }) => {
  const input = await readJson(request, secretInputSchema);
  return json(await putSecret(getDb(), input), { status: 201 });
});
