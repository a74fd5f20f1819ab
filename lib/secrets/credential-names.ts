// The one list of names under which an HTTP request carries a credential. Save-time checks refuse
// literal values under these names, redaction masks them, and redirects to another origin drop them.
// Names are compared lower-cased; query names also with "-" read as "_" (api-key = api_key).

/** Request headers (and Set-Cookie, for recorded responses) whose value is a credential. */
export const credentialHeaderNames: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
  "x-auth-token",
  "x-access-token",
  "x-amz-security-token",
];

/** Query parameters that, by convention, carry a credential or a signature. */
const credentialQueryNames: readonly string[] = [
  "api_key",
  "apikey",
  "key",
  "token",
  "access_token",
  "auth_token",
  "id_token",
  "refresh_token",
  "client_secret",
  "secret",
  "password",
  "passwd",
  "sig",
  "signature",
];

const headerSet: ReadonlySet<string> = new Set(credentialHeaderNames);
const querySet: ReadonlySet<string> = new Set(credentialQueryNames);

export function isCredentialHeaderName(name: string): boolean {
  return headerSet.has(name.toLowerCase());
}

export function isCredentialQueryName(name: string): boolean {
  return querySet.has(name.toLowerCase().replaceAll("-", "_"));
}
