// Builds the `Upstash-Signature` JWT the way QStash does, so the SDK's Receiver (and anything
// else written against real QStash) accepts it unchanged.
import { createHash, randomBytes } from "node:crypto";
import { SignJWT } from "jose";

const lifetimeSeconds = 300;

/**
 * base64url of the body's SHA-256, keeping the "=" padding as QStash does. The SDK's Receiver
 * strips padding on both sides; a hand-written verifier that does not would fail here first.
 */
function hashBody(body: Buffer): string {
  return createHash("sha256").update(body).digest("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

export interface SignOptions {
  signingKey: string;
  /** The exact destination string as published: the Receiver compares `sub` verbatim. */
  url: string;
  body: string | Buffer;
  issuedAt?: number;
  lifetimeSeconds?: number;
  /** Hash this instead of `body`: a test forging a signature for another body. */
  bodyHashOf?: string | Buffer;
}

/** The one signer: the local QStash server signs deliveries with it, tests and benchmarks forge with it. */
export async function signLikeQstash(options: SignOptions): Promise<string> {
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1_000);
  return await new SignJWT({ body: hashBody(Buffer.from(options.bodyHashOf ?? options.body)) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(options.url)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (options.lifetimeSeconds ?? lifetimeSeconds))
    .setJti(`jwt_${randomBytes(12).toString("hex")}`)
    .sign(new TextEncoder().encode(options.signingKey));
}

export async function signDelivery(signingKey: string, url: string, body: Buffer): Promise<string> {
  return await signLikeQstash({ signingKey, url, body });
}
