// The environment as lib/env.ts validates it: the same rules the deployed app starts with.
import { EnvError, getEnv, type Env } from "@/lib/env";
import { fail, pass, type CheckResult } from "./report";

function describeMode(env: Env): string {
  if (env.vercelEnv) return `Vercel ${env.vercelEnv}`;
  return env.production ? "production" : "development (embedded defaults fill what is unset)";
}

export function checkEnvironment(): { result: CheckResult; env?: Env } {
  try {
    const env = getEnv();
    return { env, result: pass("environment", `valid, ${describeMode(env)}; APP_URL ${env.appUrl}`) };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { result: fail("environment", error.message, "set the variables named (README, Configuration), then run the doctor again") };
  }
}
