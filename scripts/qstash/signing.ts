// Builds the `Upstash-Signature` JWT the way QStash does, so the SDK's Receiver (and anything
// else written against real QStash) accepts it unchanged.
import { createHash, randomBytes } from "node:crypto";
import { SignJWT } from "jose";

const lifetimeSeconds = 300;

/**
 * base64url of the body's SHA-256, keeping the "=" padding as QStash does. The SDK's Receiver
 * strips padding on both sides; a hand-written verifier that does not would fail here first.
 */
export function hashBody(body: Buffer): string {
  return createHash("sha256").update(body).digest("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** `url` is the exact destination string as published: the Receiver compares `sub` verbatim. */
export async function signDelivery(signingKey: string, url: string, body: Buffer): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1_000);
  return await new SignJWT({ body: hashBody(body) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(url)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + lifetimeSeconds)
    .setJti(`jwt_${randomBytes(12).toString("hex")}`)
    .sign(new TextEncoder().encode(signingKey));
}
