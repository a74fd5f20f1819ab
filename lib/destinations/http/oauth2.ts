// OAuth2 client credentials (RFC 6749 §4.4) for HTTP destinations. Tokens are cached in Redis,
// sealed like every credential at rest, under a hash of everything that identifies them — the
// client secret included, so rotating it invalidates the cached token.
import { createHash } from "node:crypto";
import { z } from "zod";
import { decryptJson, encryptJson } from "@/lib/crypto/encryption";
import { BlockedAddressError, type AddressPolicy } from "@/lib/destinations/address-guard";
import { exchangeOnce, type RawHttpResponse } from "@/lib/destinations/http/request";
import { classifyHttpStatus } from "@/lib/destinations/http/status";
import { warnOnce } from "@/lib/log";
import { getKeyValueStore } from "@/lib/redis";

export interface OAuth2Params {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  clientAuth: "basic" | "body";
}

export interface TokenOptions {
  policy: AddressPolicy;
  deadline: number;
  timeoutMs: number;
  /** Skip the cache (the destination refused the cached token). */
  forceRefresh?: boolean;
}

export interface AccessToken {
  value: string;
  fromCache: boolean;
}

/** The token could not be obtained; `retryable` follows the destination rules (5xx, 429, network). */
export class OAuth2Error extends Error {
  override name = "OAuth2Error";
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

const maxTokenResponseBytes = 65_536;
/** RFC 6749 leaves expires_in optional; without it a token is trusted this long. */
const defaultLifetimeSeconds = 300;
const refreshMarginSeconds = 30;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});
const errorResponseSchema = z.object({ error: z.string().max(100).optional() });
const cachedTokenSchema = z.object({ token: z.string(), expiresAt: z.number() });

/** Seconds a fresh token is reused: until 30 s before it expires, or half its life if shorter. */
export function tokenLifetimeSeconds(expiresIn: number | undefined): number {
  if (expiresIn === undefined) return defaultLifetimeSeconds;
  return expiresIn > 2 * refreshMarginSeconds ? expiresIn - refreshMarginSeconds : expiresIn / 2;
}

export function tokenCacheKey(params: OAuth2Params): string {
  const secretHash = createHash("sha256").update(params.clientSecret).digest("hex");
  const identity = JSON.stringify([params.tokenUrl, params.clientId, params.scope ?? "", params.audience ?? "", params.clientAuth, secretHash]);
  return `sy:oauth2:${createHash("sha256").update(identity).digest("hex")}`;
}

async function readCachedToken(key: string): Promise<string | undefined> {
  try {
    const sealed = await getKeyValueStore().get<string>(key);
    if (typeof sealed !== "string") return undefined;
    const cached = cachedTokenSchema.safeParse(decryptJson(sealed));
    return cached.success && cached.data.expiresAt > Date.now() ? cached.data.token : undefined;
  } catch (error) {
    warnOnce("oauth2-cache", "OAuth2 token cache unavailable: fetching tokens without it", { error });
    return undefined;
  }
}

async function writeCachedToken(key: string, token: string, lifetimeSeconds: number): Promise<void> {
  if (lifetimeSeconds < 1) return;
  try {
    const sealed = encryptJson({ token, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    await getKeyValueStore().set(key, sealed, { exSeconds: Math.ceil(lifetimeSeconds) });
  } catch (error) {
    warnOnce("oauth2-cache", "OAuth2 token cache unavailable: fetching tokens without it", { error });
  }
}

function tokenRequestBody(params: OAuth2Params): string {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (params.scope) form.set("scope", params.scope);
  if (params.audience) form.set("audience", params.audience);
  if (params.clientAuth === "body") {
    form.set("client_id", params.clientId);
    form.set("client_secret", params.clientSecret);
  }
  return form.toString();
}

function tokenRequestHeaders(params: OAuth2Params, body: string): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "Switchyard/1.0",
  };
  if (params.clientAuth === "basic") {
    // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
    const pair = `${encodeURIComponent(params.clientId)}:${encodeURIComponent(params.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
  }
  return headers;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readTokenResponse(response: RawHttpResponse): { token: string; expiresIn?: number } {
  const json = parseJson(response.body);
  if (classifyHttpStatus(response.status) !== "succeeded") {
    const code = errorResponseSchema.safeParse(json).data?.error;
    const retryable = classifyHttpStatus(response.status) === "retryable";
    throw new OAuth2Error(`OAuth2 token request failed: ${response.status}${code ? ` ${code}` : ""}`, retryable);
  }
  if (json === undefined) throw new OAuth2Error("OAuth2 token request failed: the token response is not valid JSON", false);
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) throw new OAuth2Error("OAuth2 token request failed: the token response has no access_token", false);
  return { token: parsed.data.access_token, expiresIn: parsed.data.expires_in };
}

async function requestToken(params: OAuth2Params, options: TokenOptions): Promise<{ token: string; expiresIn?: number }> {
  const body = tokenRequestBody(params);
  let response: RawHttpResponse;
  try {
    const request = { method: "POST", url: new URL(params.tokenUrl), headers: tokenRequestHeaders(params, body), body };
    response = await exchangeOnce(request, { ...options, maxBodyBytes: maxTokenResponseBytes });
  } catch (error) {
    const message = error instanceof Error ? error.message : "request failed";
    throw new OAuth2Error(`OAuth2 token request failed: ${message}`, !(error instanceof BlockedAddressError || error instanceof TypeError));
  }
  return readTokenResponse(response);
}

/** A bearer token for `params`: from the cache unless `forceRefresh`, else from the token endpoint. */
export async function obtainAccessToken(params: OAuth2Params, options: TokenOptions): Promise<AccessToken> {
  const key = tokenCacheKey(params);
  const cached = options.forceRefresh ? undefined : await readCachedToken(key);
  if (cached) return { value: cached, fromCache: true };
  const fresh = await requestToken(params, options);
  await writeCachedToken(key, fresh.token, tokenLifetimeSeconds(fresh.expiresIn));
  return { value: fresh.token, fromCache: false };
}
