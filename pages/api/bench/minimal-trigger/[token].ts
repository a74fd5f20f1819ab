// ANY /api/bench/minimal-trigger/:token — npm run bench's baseline: the trigger route's Redis and QStash calls, nothing else; 404 unless BENCH_MINIMAL_ROUTE=true
// The logic stays in this file on purpose: it is what the trigger route is measured against
// (same `next start`, same adapter, one MGET of the cached callback, one QStash batch), so
// everything the trigger route does beyond it shows as the difference. No method, size,
// signature or rate check: that is why it exists only when a benchmark turns it on.
import { cacheKeys } from "@/lib/cache/trigger-cache";
import { hashToken } from "@/lib/crypto/tokens";
import type { DeliveryJob } from "@/lib/deliveries/job";
import { publishEachJob } from "@/lib/deliveries/publish-jobs";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { pagesApiRoute } from "@/lib/http/pages-route";
import { jsonReply } from "@/lib/http/reply";
import { uuidv7 } from "@/lib/ids";
import { getKeyValueStore } from "@/lib/redis";

export const config = { api: { bodyParser: false } };

/** The fields of the trigger route's cache entry this route uses; it checks nothing else. */
interface CachedCallback {
  id: string;
  retries: number;
  destinations: Array<{ id: string; kind: DeliveryJob["kind"]; enabled: boolean }>;
}

const notFound = () => new AppError("not_found", "No enabled callback at this URL");

export default pagesApiRoute<string>(
  async ({ request, params: token }) => {
    if (!getEnv().benchMinimalRoute) throw notFound();
    const key = cacheKeys.token(hashToken(token));
    const [cached] = await getKeyValueStore().getMany<CachedCallback>(key, cacheKeys.generation(key));
    if (!cached?.destinations) throw notFound();
    const body = Buffer.from(await request.readBody(1_048_576)).toString("utf8");
    const captured = { method: request.method, path: "/api/bench/minimal-trigger", query: {}, headers: {}, body, bodyEncoding: "utf8" as const, receivedAt: new Date().toISOString() };
    const eventId = uuidv7();
    const jobs: DeliveryJob[] = cached.destinations
      .filter((destination) => destination.enabled)
      .map((destination) => ({ v: 1, deliveryId: uuidv7(), eventId, callbackId: cached.id, destinationId: destination.id, kind: destination.kind, request: captured }));
    const { published } = await publishEachJob(jobs, cached.retries);
    return jsonReply({ eventId, deliveries: published }, 202);
  },
  (query) => String(query.token ?? ""),
);
