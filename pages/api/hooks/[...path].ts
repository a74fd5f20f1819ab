// ANY /api/hooks/:path* — accepts a webhook at a callback's custom path
import { pagesApiRoute } from "@/lib/http/pages-route";
import { triggerHandler } from "@/lib/triggers/trigger-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(
  triggerHandler<string>((path) => ({ kind: "path", path })),
  (query) => [query.path ?? []].flat().join("/"),
);
