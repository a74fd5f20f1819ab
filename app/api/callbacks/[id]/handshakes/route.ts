// GET /api/callbacks/:id/handshakes — the latest verification requests the callback answered
import { withOperator } from "@/lib/auth/with-operator";
import { listHandshakes } from "@/lib/callbacks/handshake-log";
import { getDb } from "@/lib/db";
import { json } from "@/lib/http/responses";
import { idParam } from "@/lib/http/params";

export const GET = withOperator<{ id: string }>(async ({ params }) => json({ items: await listHandshakes(getDb(), idParam(params.id)) }));
