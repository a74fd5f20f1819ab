// GET /api/auth/session — who the caller is signed in as (401 when anonymous)
import { withOperator } from "@/lib/auth/with-operator";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async ({ operator }) => json({ operator: { id: operator.id, username: operator.username, role: operator.role, via: operator.via } }));
