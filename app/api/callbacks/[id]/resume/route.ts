// POST /api/callbacks/:id/resume — releases the held deliveries of its destinations not paused on their own
import { withOperator } from "@/lib/auth/with-operator";
import { resumeCallback } from "@/lib/callbacks/hold-callbacks";
import { getDb } from "@/lib/db";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await resumeCallback(getDb(), idParam(params.id))));
