// GET|POST /api/operators — admins list operators and add one (e.g. a read-only viewer)
import { withOperator } from "@/lib/auth/with-operator";
import { operatorCreateSchema } from "@/lib/auth/operator-input";
import { createOperator, listOperators } from "@/lib/auth/manage-operators";
import { getDb } from "@/lib/db";
import { readJson } from "@/lib/http/read-body";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async () => json({ items: await listOperators(getDb()) }), { adminOnly: true });

export const POST = withOperator(
  async ({ request }) => {
    const input = await readJson(request, operatorCreateSchema);
    return json(await createOperator(getDb(), input), { status: 201 });
  },
  { adminOnly: true },
);
