// POST /api/destinations/:id/enable — re-enables a destination (e.g. after the circuit breaker) and resets its failure count
import { withOperator } from "@/lib/auth/with-operator";
import { enableDestination } from "@/lib/callbacks/callback-destinations";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await enableDestination(getDb(), idParam(params.id))));
