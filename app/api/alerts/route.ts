// GET /api/alerts — alerts raised and how their delivery went, newest first, keyset-paginated
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { listAlerts, parseAlertQuery } from "@/lib/alerts/list-alerts";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async ({ request }) => json(await listAlerts(getDb(), parseAlertQuery(new URL(request.url)))));
