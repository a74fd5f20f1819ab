// Destination auth: credentials rendered (they may hold `{secret:NAME}`), then placed where a
// real API expects them. Also says which header and query names carry them, so whatever is
// recorded or previewed shows a mask instead.
import type { HttpAuth } from "@/lib/destinations/http/config";
import type { OutgoingRequest } from "@/lib/destinations/http/request";
import { assertConfiguredOrigin, assertSendableHeader, type FieldRenderer } from "@/lib/destinations/http/render";
import type { OAuth2Params } from "@/lib/destinations/http/oauth2";
import type { AwsSignerOptions } from "@/lib/destinations/cloud/aws-sigv4";
import { credentialHeaderNames, isCredentialQueryName } from "@/lib/secrets/credential-names";
import { redactedValue } from "@/lib/log";

export type ResolvedAuth =
  | { type: "none" }
  | { type: "header"; name: string; scheme: string; value: string }
  | { type: "query"; name: string; value: string }
  | { type: "oauth2"; params: OAuth2Params }
  /** Signed per hop at send time (lib/destinations/http/aws-sigv4.ts), after every other header. */
  | { type: "aws_sigv4"; options: AwsSignerOptions };

export interface CredentialLocations {
  headers: string[];
  query: string[];
}

export function resolveAuth(auth: HttpAuth, renderField: FieldRenderer): ResolvedAuth {
  switch (auth.type) {
    case "none":
      return { type: "none" };
    case "basic": {
      const username = renderField("config.auth.username", auth.username, "text");
      const password = renderField("config.auth.password", auth.password, "text");
      const encoded = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
      return { type: "header", name: "authorization", scheme: "Basic ", value: encoded };
    }
    case "bearer": {
      const token = assertSendableHeader("config.auth.token", renderField("config.auth.token", auth.token, "header"));
      return { type: "header", name: "authorization", scheme: "Bearer ", value: token };
    }
    case "api_key": {
      if (auth.in === "query") return { type: "query", name: auth.name, value: renderField("config.auth.value", auth.value, "text") };
      const value = assertSendableHeader("config.auth.value", renderField("config.auth.value", auth.value, "header"));
      return { type: "header", name: auth.name.toLowerCase(), scheme: "", value };
    }
    case "oauth2_client_credentials":
      return {
        type: "oauth2",
        params: {
          tokenUrl: renderTokenUrl(auth.tokenUrl, renderField),
          clientId: renderField("config.auth.clientId", auth.clientId, "text"),
          clientSecret: renderField("config.auth.clientSecret", auth.clientSecret, "text"),
          scope: auth.scope,
          audience: auth.audience,
          clientAuth: auth.clientAuth,
        },
      };
    case "aws_sigv4":
      return { type: "aws_sigv4", options: resolveAwsCredentials(auth, renderField) };
  }
}

function resolveAwsCredentials(auth: Extract<HttpAuth, { type: "aws_sigv4" }>, renderField: FieldRenderer): AwsSignerOptions {
  const sessionToken = auth.sessionToken === undefined ? undefined : assertSendableHeader("config.auth.sessionToken", renderField("config.auth.sessionToken", auth.sessionToken, "header"));
  return {
    region: auth.region,
    service: auth.service,
    accessKeyId: assertSendableHeader("config.auth.accessKeyId", renderField("config.auth.accessKeyId", auth.accessKeyId, "header")),
    secretAccessKey: renderField("config.auth.secretAccessKey", auth.secretAccessKey, "text"),
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

function renderTokenUrl(source: string, renderField: FieldRenderer): string {
  const rendered = renderField("config.auth.tokenUrl", source, "url");
  assertConfiguredOrigin("config.auth.tokenUrl", source, new URL(rendered), renderField);
  return rendered;
}

/** The same auth with its credential replaced by the mask: what a recorded request carries. */
export function maskedAuth(auth: ResolvedAuth): ResolvedAuth {
  if (auth.type === "header" || auth.type === "query") return { ...auth, value: redactedValue };
  return auth;
}

export function credentialLocations(auth: HttpAuth): CredentialLocations {
  if (auth.type === "api_key") return auth.in === "query" ? { headers: [], query: [auth.name] } : { headers: [auth.name.toLowerCase()], query: [] };
  if (auth.type === "aws_sigv4") return { headers: ["authorization", "x-amz-security-token"], query: [] };
  return auth.type === "none" ? { headers: [], query: [] } : { headers: ["authorization"], query: [] };
}

/** Puts the credential on the request; `accessToken` is required for oauth2. aws_sigv4 signs later, per hop. */
export function applyAuth(request: OutgoingRequest, auth: ResolvedAuth, accessToken?: string): OutgoingRequest {
  switch (auth.type) {
    case "none":
    case "aws_sigv4":
      return request;
    case "header":
      return { ...request, headers: { ...request.headers, [auth.name]: `${auth.scheme}${auth.value}` } };
    case "query": {
      const url = new URL(request.url);
      url.searchParams.set(auth.name, auth.value);
      return { ...request, url };
    }
    case "oauth2":
      return { ...request, headers: { ...request.headers, authorization: `Bearer ${accessToken ?? ""}` } };
  }
}

/**
 * The request as it may be stored or shown: credentials (auth, URL password, and whatever sits
 * under a credential's conventional header or query name) replaced by the mask.
 */
export function maskRequest(request: OutgoingRequest, locations: CredentialLocations): OutgoingRequest {
  const url = new URL(request.url);
  if (url.password) url.password = redactedValue;
  const queryNames = [...url.searchParams.keys()].filter((name) => locations.query.includes(name) || isCredentialQueryName(name));
  for (const name of new Set(queryNames)) url.searchParams.set(name, redactedValue);
  const headers = { ...request.headers };
  for (const name of new Set([...credentialHeaderNames, ...locations.headers])) {
    if (headers[name] !== undefined) headers[name] = redactedValue;
  }
  return { ...request, url, headers };
}
