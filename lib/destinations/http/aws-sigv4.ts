// AWS SigV4 for HTTP destinations (IoT Core's HTTPS publish, API Gateway IAM routes, Lambda
// function URLs): the final request of each hop, every other header already set, is signed
// with the maintained signer; and a 401/403 whose body or error type is AWS refusing the
// signature or the credentials says so instead of a bare status.
import { awsSigner, type AwsSignerOptions } from "@/lib/destinations/cloud/aws-sigv4";
import type { OutgoingRequest, RawHttpResponse } from "@/lib/destinations/http/request";

/** Headers a previous signature left (a redirect hop is signed afresh). */
const signatureHeaders = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

type Query = Record<string, string | string[]>;

function queryOf(url: URL): Query {
  const query: Query = {};
  for (const [name, value] of url.searchParams) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

/** `request` with SigV4 headers (Authorization, X-Amz-Date, X-Amz-Security-Token) over its method, URL, headers and body. */
export async function signAwsRequest(request: OutgoingRequest, options: AwsSignerOptions, signingDate?: Date): Promise<OutgoingRequest> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !signatureHeaders.includes(name.toLowerCase())));
  // Node sends Host from the URL; it must be signed, and the same value.
  headers.host = request.url.host;
  const signer = await awsSigner(options);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query: queryOf(request.url),
      headers,
      body: request.body,
    },
    signingDate ? { signingDate } : {},
  );
  return { ...request, headers: Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value])) };
}

/** AWS error types and messages that mean the signature or the credentials were refused. */
const refusals: Array<[RegExp, string]> = [
  [/SignatureDoesNotMatch|signature we calculated does not match/i, "SignatureDoesNotMatch"],
  [/Signature expired/i, "signature expired (is this machine's clock right?)"],
  [/InvalidSignatureException/, "InvalidSignatureException"],
  [/IncompleteSignatureException/, "IncompleteSignatureException"],
  [/security token included in the request is (invalid|expired)|ExpiredTokenException|InvalidClientTokenId/i, "the security token or access key is invalid or expired"],
  [/UnrecognizedClientException/, "UnrecognizedClientException"],
  [/MissingAuthenticationToken/, "MissingAuthenticationTokenException"],
  [/AccessDeniedException|not authorized to perform/i, "access denied to these credentials"],
];

/** The recorded reason when a 401/403 is AWS refusing the signature or credentials, else undefined. */
export function awsRefusal(response: Pick<RawHttpResponse, "status" | "headers" | "body">): string | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  // The error type header (API Gateway, Lambda, IoT) is more precise than the body's message.
  const findIn = (text: string) => refusals.find(([pattern]) => pattern.test(text));
  const match = findIn(response.headers["x-amzn-errortype"] ?? "") ?? findIn(response.body);
  if (!match) return undefined;
  return `HTTP ${response.status}: AWS refused the SigV4 signature or credentials (${match[1]}); check auth.accessKeyId, auth.secretAccessKey, auth.sessionToken, auth.region and auth.service`;
}
