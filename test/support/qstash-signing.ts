// Signs requests exactly as QStash does (HS256 keyed with the whole "sig_…" string), with knobs
// to forge the parts a security test needs to get wrong.
import { createHash, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { devQstash } from "./ports";

export interface SignOptions {
  url: string;
  body: string;
  key?: string;
  issuedAt?: number;
  lifetimeSeconds?: number;
  bodyHashOf?: string;
}

export async function signLikeQstash(options: SignOptions): Promise<string> {
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const bodyHash = createHash("sha256")
    .update(options.bodyHashOf ?? options.body)
    .digest("base64url");
  return new SignJWT({ body: bodyHash })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(options.url)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (options.lifetimeSeconds ?? 300))
    .setJti(`jwt_${randomUUID()}`)
    .sign(new TextEncoder().encode(options.key ?? devQstash.currentSigningKey));
}

export async function postSigned(url: string, body: string, signature: string | null, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "upstash-signature": signature } : {}), ...headers },
    body,
  });
}
