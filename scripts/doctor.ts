// npm run doctor — checks a configured environment end to end, one line per check with the fix,
// and exits non-zero when any fails: environment, database, Redis, QStash, and APP_URL reaching
// this app. Run it with the deployment's variables (e.g. from `vercel env pull`) or against the
// local stack (`npm run dev` in another terminal).
import { isMainModule } from "./lib/cli";
import { probeApp, type AppProbe } from "./doctor/app-probe";
import { checkApp } from "./doctor/check-app";
import { checkDatabase } from "./doctor/check-database";
import { checkEnvironment } from "./doctor/check-environment";
import { checkQstash } from "./doctor/check-qstash";
import { checkRedis } from "./doctor/check-redis";
import { formatResult, formatSummary, skip, type CheckResult } from "./doctor/report";
import type { Env } from "@/lib/env";

const dependentChecks: Array<[string, (env: Env, app: AppProbe) => Promise<CheckResult>]> = [
  ["database", checkDatabase],
  ["redis", checkRedis],
  ["qstash", (env) => checkQstash(env)],
  ["app", (_env, app) => checkApp(app)],
];

/** Runs every check in order, printing each line as it is known. */
export async function runDoctor(print: (line: string) => void = console.log): Promise<CheckResult[]> {
  const { result, env } = checkEnvironment();
  const results = [result];
  print(formatResult(result));
  const app = env ? probeApp(env) : undefined;
  for (const [name, check] of dependentChecks) {
    const next = env && app ? await check(env, app) : skip(name, "needs a valid environment");
    results.push(next);
    print(formatResult(next));
  }
  print(formatSummary(results));
  return results;
}

if (isMainModule(import.meta.url)) {
  runDoctor().then(
    (results) => process.exit(results.some((result) => result.status === "fail") ? 1 : 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
