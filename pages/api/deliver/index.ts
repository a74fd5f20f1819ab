// POST /api/deliver — runs one delivery attempt for QStash (signature and URL claim verified)
import { deliverHandler } from "@/lib/deliveries/deliver-routes";
import { pagesApiRoute } from "@/lib/http/pages-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(deliverHandler, () => undefined);
