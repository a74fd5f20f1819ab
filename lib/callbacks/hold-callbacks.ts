// Pause and resume of a whole callback (issue #16): every destination's lanes are held in QStash
// while triggers are still accepted. Resuming releases the destinations not paused on their own.
// Same order as a destination's pause: QStash first when holding, the row first when releasing.
import type { Database } from "@/lib/db";
import { updateCallbackRow } from "@/lib/db/queries/callbacks";
import { listDestinationsOf } from "@/lib/db/queries/destinations";
import { notFound } from "@/lib/errors";
import { invalidateCallbackCache } from "@/lib/cache/trigger-cache";
import { pauseLanes, resumeLanes } from "@/lib/qstash/lanes";
import { requireCallback } from "@/lib/callbacks/manage-callbacks";
import { presentCallback, type CallbackView } from "@/lib/callbacks/present-callback";

/** Idempotent: pauses every lane again and keeps when it was first paused. */
export async function pauseCallback(db: Database, id: string): Promise<CallbackView> {
  const before = await requireCallback(db, id);
  const destinations = await listDestinationsOf(db, [id]);
  await pauseLanes(destinations);
  const row = before.paused ? before : await updateCallbackRow(db, id, { paused: true, paused_at: new Date() });
  if (!row) throw notFound("Callback");
  if (!before.paused) await invalidateCallbackCache([{ tokenHash: row.token_hash, path: row.path }]);
  return presentCallback(row, destinations);
}

export async function resumeCallback(db: Database, id: string): Promise<CallbackView> {
  const before = await requireCallback(db, id);
  const row = before.paused ? await updateCallbackRow(db, id, { paused: false, paused_at: null }) : before;
  if (!row) throw notFound("Callback");
  if (before.paused) await invalidateCallbackCache([{ tokenHash: row.token_hash, path: row.path }]);
  const destinations = await listDestinationsOf(db, [id]);
  await resumeLanes(destinations.filter((item) => !item.paused));
  return presentCallback(row, destinations);
}
