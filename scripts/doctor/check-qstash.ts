// QStash with the configured token at the configured URL (each region has its own tokens and
// keys), and the signing keys the app verifies with are the ones QStash signs with.
import { z } from "zod";
import type { Env } from "@/lib/env";
import { describeError, fail, pass, withTimeout, type CheckResult } from "./report";

const name = "qstash";
const keysSchema = z.object({ current: z.string(), next: z.string() });
const regionFix = "leave QSTASH_URL unset for the EU region, or set https://qstash-us-east-1.upstash.io for the US region";

async function fetchKeys(env: Env): Promise<Response> {
  return withTimeout(fetch(`${env.qstash.url}/v2/keys`, { headers: { authorization: `Bearer ${env.qstash.token}` } }), 10_000, "QStash");
}

function refused(status: number, text: string): CheckResult {
  if (/region/i.test(text)) return fail(name, `the token belongs to another region than QSTASH_URL (${status}: ${text.slice(0, 160)})`, regionFix);
  return fail(
    name,
    `QSTASH_TOKEN was refused (${status}${text ? `: ${text.slice(0, 160)}` : ""})`,
    "copy QSTASH_TOKEN from the Upstash console (QStash → Request builder) for the region QSTASH_URL names",
  );
}

function compareKeys(env: Env, keys: z.infer<typeof keysSchema>): CheckResult {
  const wrong = [
    keys.current === env.qstash.currentSigningKey ? undefined : "QSTASH_CURRENT_SIGNING_KEY",
    keys.next === env.qstash.nextSigningKey ? undefined : "QSTASH_NEXT_SIGNING_KEY",
  ].filter((entry) => entry !== undefined);
  if (wrong.length > 0) {
    return fail(
      name,
      `the token works, but ${wrong.join(" and ")} differ from the keys QStash signs with`,
      "copy both signing keys from the Upstash console (QStash → Signing keys) and redeploy",
    );
  }
  return pass(name, `the token works at ${new URL(env.qstash.url).host} and both signing keys match`);
}

export async function checkQstash(env: Env): Promise<CheckResult> {
  let response: Response;
  try {
    response = await fetchKeys(env);
  } catch (error) {
    return fail(name, `cannot reach QSTASH_URL ${env.qstash.url}: ${describeError(error)}`, regionFix);
  }
  const text = await response.text();
  if (!response.ok) return refused(response.status, text);
  const keys = keysSchema.safeParse(JSON.parse(text || "null"));
  if (!keys.success) return fail(name, `${env.qstash.url}/v2/keys did not answer like QStash`, regionFix);
  return compareKeys(env, keys.data);
}
