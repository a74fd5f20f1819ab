// Redirects are off by default (a webhook endpoint that moves should be reconfigured, not
// chased). When on: at most 5 hops, each one a fresh exchange through the SSRF guard, with the
// method rules of RFC 9110 §15.4 as browsers apply them and credentials kept to the first origin:
// credential headers, and the TLS settings (client certificate, private CA, SNI) as well.
import { exchangeOnce, type ExchangeOptions, type OutgoingRequest, type RawHttpResponse } from "@/lib/destinations/http/request";
import { credentialHeaderNames } from "@/lib/secrets/credential-names";

const maxRedirects = 5;
const followedStatuses = new Set([301, 302, 303, 307, 308]);
const bodyHeaders = ["content-type", "content-length", "content-encoding"];

/** A redirect we refuse to follow; permanent (the same answer would come back). */
export class RedirectError extends Error {
  override name = "RedirectError";
}

export interface RedirectHop {
  status: number;
  location: string;
}

export interface Exchange {
  /** The request of the last hop, as sent. */
  request: OutgoingRequest;
  response: RawHttpResponse;
  redirects: RedirectHop[];
}

export interface RedirectOptions extends ExchangeOptions {
  followRedirects: boolean;
  /** Extra header names that carry credentials (an API key header): dropped on a cross-origin hop. */
  credentialHeaderNames?: readonly string[];
  /** Called on every hop's request just before it is sent (e.g. to sign the hop's body); `first` is the configured request. */
  prepare?: (request: OutgoingRequest, first: OutgoingRequest) => OutgoingRequest | Promise<OutgoingRequest>;
}

function without(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const dropped = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dropped.has(name.toLowerCase())));
}

function nextMethod(status: number, method: string): string {
  if (status === 303) return method === "HEAD" ? "HEAD" : "GET";
  if ((status === 301 || status === 302) && method === "POST") return "GET";
  return method;
}

export function nextHop(request: OutgoingRequest, status: number, location: string, extraCredentialHeaders: readonly string[] = []): OutgoingRequest {
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch {
    throw new RedirectError(`HTTP ${status}: redirect to an invalid Location`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RedirectError(`HTTP ${status}: redirect to a non-HTTP URL (${url.protocol}) refused`);
  }
  const method = nextMethod(status, request.method);
  const keepsBody = method === request.method;
  let headers = keepsBody ? request.headers : without(request.headers, bodyHeaders);
  if (url.origin !== request.url.origin) headers = without(headers, [...credentialHeaderNames, ...extraCredentialHeaders]);
  return { method, url, headers, body: keepsBody ? request.body : undefined };
}

/** Sends `first`, following redirects if allowed. The guard runs again on every hop. */
export async function exchangeFollowingRedirects(first: OutgoingRequest, options: RedirectOptions): Promise<Exchange> {
  const prepare = options.prepare ?? ((request: OutgoingRequest) => request);
  const redirects: RedirectHop[] = [];
  let request = await prepare(first, first);
  for (;;) {
    // The client certificate (and the CA trusted for the configured endpoint) stays with its origin.
    const tls = request.url.origin === first.url.origin ? options.tls : undefined;
    const response = await exchangeOnce(request, { ...options, tls });
    const location = response.headers.location;
    if (!options.followRedirects || !followedStatuses.has(response.status) || !location) return { request, response, redirects };
    if (redirects.length >= maxRedirects) throw new RedirectError(`too many redirects (more than ${maxRedirects})`);
    redirects.push({ status: response.status, location });
    request = await prepare(nextHop(request, response.status, location, options.credentialHeaderNames), first);
  }
}
