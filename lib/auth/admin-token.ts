// The bootstrap admin's password starts as ADMIN_TOKEN. Its row keeps a hash of the token the
// password came from; once ADMIN_TOKEN changes, that password and every session it opened are void.
import { createHash } from "node:crypto";
import { getEnv } from "@/lib/env";

let cached: { token: string; hash: string } | undefined;

/** sha256 of the current ADMIN_TOKEN (high-entropy, so a plain hash is enough), computed once per value. */
export function currentAdminTokenHash(): string {
  const token = getEnv().adminToken;
  if (cached?.token !== token) cached = { token, hash: createHash("sha256").update(token).digest("hex") };
  return cached.hash;
}

/** True for operators whose password is their own (null), or came from the current ADMIN_TOKEN. */
export function bootstrapTokenStillValid(bootstrapTokenHash: string | null): boolean {
  return bootstrapTokenHash === null || bootstrapTokenHash === currentAdminTokenHash();
}
