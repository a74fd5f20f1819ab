// Seeds the demo callback on the first `npm run dev` and remembers its token in .data/ (local
// only, git-ignored) so every start can print a ready-to-paste curl.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Database } from "@/lib/db";
import { findCallbackById } from "@/lib/db/queries/callbacks";
import { createCallback } from "@/lib/callbacks/manage-callbacks";
import { callbackCreateSchema } from "@/lib/callbacks/callback-input";
import type { DestinationInput } from "@/lib/destinations/destination-input";

export interface DemoCallback {
  id: string;
  token: string;
}

export async function ensureDemoCallback(db: Database, dataDir: string, destinations: DestinationInput[]): Promise<DemoCallback> {
  const file = path.join(dataDir, "demo-callback.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as DemoCallback;
    if (await findCallbackById(db, saved.id)) return saved;
  }
  const input = callbackCreateSchema.parse({ name: "Demo", methods: ["POST", "PUT", "GET"], destinations });
  const created = await createCallback(db, input);
  const demo = { id: created.id, token: created.token ?? "" };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}
