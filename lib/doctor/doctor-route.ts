// The app's side of `npm run doctor`: a route that accepts only a request signed like a QStash
// delivery to this exact URL, checked by the same wrapper as /api/deliver. A pass proves that
// APP_URL reaches this deployment and that both sides hold the same signing keys and APP_URL.
// The answer also says what the deployment itself sees of its database and Redis: the doctor
// falls back to it where it cannot look itself (npm run dev holds the embedded database open,
// and sets the Redis bridge for its own app only).
import { getDb } from "@/lib/db";
import { pendingMigrations } from "@/lib/db/migrate";
import { getKeyValueStore } from "@/lib/redis";
import { withQstash } from "@/lib/qstash/with-qstash";
import { doneAnswer, qstashReply } from "@/lib/qstash/answer";

export const doctorPath = "/api/doctor";

/** What the doctor looks for, so a 200 from some other app at APP_URL does not pass. */
export const doctorAnswer = { ok: true, service: "switchyard" } as const;

/** The deployment's own view; an error is named by its class only, never its message (it may hold a URL). */
export interface DoctorSelfReport {
  database: { pending: string[] } | { error: string };
  redis: { kind: "upstash" | "memory" } | { error: string };
}

const errorName = (error: unknown) => ({ error: error instanceof Error ? error.name : "error" });

async function selfReport(): Promise<DoctorSelfReport> {
  const store = getKeyValueStore();
  const [database, redis] = await Promise.all([pendingMigrations(getDb()).then((pending) => ({ pending }), errorName), store.get("sy:doctor").then(() => ({ kind: store.kind }), errorName)]);
  return { database, redis };
}

export const doctorHandler = withQstash(doctorPath, async () => qstashReply(doneAnswer({ ...doctorAnswer, ...(await selfReport()) })));
