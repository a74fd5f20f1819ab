// Creates a callback through the console API, as an operator would, for a bench to trigger.
import type { NextServer } from "../lib/next-server";

export interface BenchCallback {
  id: string;
  token: string;
  destinations: Array<{ id: string }>;
}

/** POST /api/callbacks as the admin; anything but 201 throws with the answer. */
export async function createBenchCallback(app: NextServer, adminToken: string, body: { name: string; [field: string]: unknown }): Promise<BenchCallback> {
  const response = await fetch(`${app.url}/api/callbacks`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`bench callback ${body.name}: ${response.status} ${await response.text()}`);
  return (await response.json()) as BenchCallback;
}
