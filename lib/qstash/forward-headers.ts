// Headers every message QStash brings back to this app must carry. With Vercel Deployment
// Protection on (the default for Preview deployments), Vercel answers QStash 401 before the
// function runs unless the call brings the project's automation bypass secret.
import { getEnv } from "@/lib/env";

const vercelBypassHeader = "x-vercel-protection-bypass";

/**
 * As the Client's global publish headers, so no publish can forget them. QStash strips the
 * `Upstash-Forward-` prefix on delivery and `Upstash-Failure-Callback-Forward-` on the failure
 * callback; the SDK passes headers that start with `Upstash-` through unchanged.
 */
export function qstashForwardHeaders(): Record<string, string> | undefined {
  const secret = getEnv().vercelBypassSecret;
  if (!secret) return undefined;
  return {
    [`Upstash-Forward-${vercelBypassHeader}`]: secret,
    [`Upstash-Failure-Callback-Forward-${vercelBypassHeader}`]: secret,
  };
}

/** For a direct call to this app (`npm run doctor`'s self-call). */
export function vercelBypassHeaders(): Record<string, string> {
  const secret = getEnv().vercelBypassSecret;
  return secret ? { [vercelBypassHeader]: secret } : {};
}
