// POST /api/alerts/deliver/failed — QStash failure callback for alerts: marks an exhausted alert dead
import { alertFailureHandler } from "@/lib/alerts/alert-routes";
import { pagesApiRoute } from "@/lib/http/pages-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(alertFailureHandler, () => undefined);
