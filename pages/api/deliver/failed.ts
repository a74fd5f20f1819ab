// POST /api/deliver/failed — QStash failure callback: marks an exhausted delivery dead
import { failureHandler } from "@/lib/deliveries/deliver-routes";
import { pagesApiRoute } from "@/lib/http/pages-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(failureHandler, () => undefined);
