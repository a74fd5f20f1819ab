// POST /api/callbacks/:id/rotate-token — issues a new trigger token (shown once); the old one stops working
import { withOperator } from "@/lib/auth/with-operator";
import { rotateCallbackToken } from "@/lib/callbacks/manage-callbacks";
import { getDb } from "@/lib/db";
import { json } from "@/lib/http/responses";
import { idParam } from "@/lib/http/params";

export const POST = withOperator<{ id: string }>(async ({ params }) => json(await rotateCallbackToken(getDb(), idParam(params.id))));
