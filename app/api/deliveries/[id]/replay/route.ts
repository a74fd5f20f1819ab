// POST /api/deliveries/:id/replay — publishes a new delivery of the same event to the same destination
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { replayDelivery } from "@/lib/deliveries/replay-delivery";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await replayDelivery(getDb(), idParam(params.id)), { status: 202 }));
