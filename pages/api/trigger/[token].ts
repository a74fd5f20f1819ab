// ANY /api/trigger/:token — accepts a webhook and queues one delivery per destination
import { pagesApiRoute } from "@/lib/http/pages-route";
import { triggerHandler } from "@/lib/triggers/trigger-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(
  triggerHandler<string>((token) => ({ kind: "token", token })),
  (query) => String(query.token ?? ""),
);
