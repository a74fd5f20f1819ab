// POST /api/alerts/deliver — sends one alert to the alert webhook for QStash (signature and URL claim verified)
import { alertDeliverHandler } from "@/lib/alerts/alert-routes";
import { pagesApiRoute } from "@/lib/http/pages-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(alertDeliverHandler, () => undefined);
