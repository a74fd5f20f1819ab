// Signs requests exactly as QStash does (HS256 keyed with the whole "sig_…" string), with the
// local QStash server's own signer; by default with the test stack's current signing key.
import { signLikeQstash as signWithKey } from "@/scripts/qstash/signing";
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
  const { key, ...rest } = options;
  return await signWithKey({ ...rest, signingKey: key ?? devQstash.currentSigningKey });
}

export async function postSigned(url: string, body: string, signature: string | null, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "upstash-signature": signature } : {}), ...headers },
    body,
  });
}
