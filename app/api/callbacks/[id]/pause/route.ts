// POST /api/callbacks/:id/pause — holds the deliveries of every destination of the callback in QStash
import { withOperator } from "@/lib/auth/with-operator";
import { pauseCallback } from "@/lib/callbacks/hold-callbacks";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await pauseCallback(getDb(), idParam(params.id))));
