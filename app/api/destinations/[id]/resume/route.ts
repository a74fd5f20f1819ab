// POST /api/destinations/:id/resume — releases the destination's held deliveries (in order only for FIFO destinations)
import { withOperator } from "@/lib/auth/with-operator";
import { resumeDestinationView } from "@/lib/callbacks/callback-destinations";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await resumeDestinationView(getDb(), idParam(params.id))));
