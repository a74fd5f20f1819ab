// POST /api/destinations/:id/pause — holds the destination's deliveries in QStash until it is resumed
import { withOperator } from "@/lib/auth/with-operator";
import { pauseDestinationView } from "@/lib/callbacks/callback-destinations";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await pauseDestinationView(getDb(), idParam(params.id))));
