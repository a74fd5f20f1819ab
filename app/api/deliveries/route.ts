// GET /api/deliveries — the delivery log, filtered (or searched with the filter language), newest first, keyset-paginated
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { listDeliveries, parseDeliveryQuery } from "@/lib/deliveries/list-deliveries";
import { json } from "@/lib/http/responses";

export const GET = withOperator(async ({ request }) => json(await listDeliveries(getDb(), parseDeliveryQuery(new URL(request.url)))));
