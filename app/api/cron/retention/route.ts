// GET /api/cron/retention — Vercel Cron: prunes deliveries, attempts, events and alerts older than RETENTION_DAYS
import { withCron } from "@/lib/cron/with-cron";
import { getDb } from "@/lib/db";
import { json } from "@/lib/http/responses";
import { pruneExpired } from "@/lib/retention/prune-expired";

export const dynamic = "force-dynamic";

export const GET = withCron(async () => json(await pruneExpired(getDb())));
