// The signed self-call to APP_URL/api/doctor, made at most once per doctor run: the app check
// judges it, and the database and Redis checks read the deployment's own view from its answer
// where they cannot look themselves (npm run dev holds the embedded database and sets the Redis
// bridge for its own app only).
import { doctorAnswer, doctorPath, type DoctorSelfReport } from "@/lib/doctor/doctor-route";
import type { Env } from "@/lib/env";
import { vercelBypassHeaders } from "@/lib/qstash/forward-headers";
import { signDelivery } from "../qstash/signing";
import { withTimeout } from "./report";

export type ProbeOutcome = { status: number; text: string; location: string | null } | { error: unknown };

export interface AppProbe {
  url: string;
  call(): Promise<ProbeOutcome>;
}

export function probeApp(env: Env): AppProbe {
  const url = `${env.appUrl}${doctorPath}`;
  let outcome: Promise<ProbeOutcome> | undefined;
  const send = async (): Promise<ProbeOutcome> => {
    const body = JSON.stringify({ doctor: true, at: new Date().toISOString() });
    const signature = await signDelivery(env.qstash.currentSigningKey, url, Buffer.from(body));
    const headers = { "content-type": "application/json", "upstash-signature": signature, ...vercelBypassHeaders() };
    const response = await withTimeout(fetch(url, { method: "POST", headers, body, redirect: "manual" }), 15_000, url);
    return { status: response.status, text: await response.text(), location: response.headers.get("location") };
  };
  return { url, call: () => (outcome ??= send().catch((error: unknown) => ({ error }))) };
}

/** This app's answer to a verified call: what the deployment sees of its database and Redis. */
export async function appReport(probe: AppProbe): Promise<DoctorSelfReport | undefined> {
  const outcome = await probe.call();
  if ("error" in outcome || outcome.status !== 200) return undefined;
  try {
    const answer = JSON.parse(outcome.text) as Partial<DoctorSelfReport> & { service?: unknown };
    return answer.service === doctorAnswer.service && answer.database && answer.redis ? { database: answer.database, redis: answer.redis } : undefined;
  } catch {
    return undefined;
  }
}
