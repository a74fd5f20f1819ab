// GET /api/deliveries/:id — one delivery with its attempts and the captured request
import { withOperator } from "@/lib/auth/with-operator";
import { getDb } from "@/lib/db";
import { getDeliveryDetail } from "@/lib/deliveries/list-deliveries";
import { idParam } from "@/lib/http/params";
import { json } from "@/lib/http/responses";

export const GET = withOperator<{ id: string }>(async ({ params }) => json(await getDeliveryDetail(getDb(), idParam(params.id))));
