// The two outbound calls SNS needs: fetching a signing certificate and confirming a
// subscription. Both go only to https://sns.<region>.amazonaws.com (no port, no credentials),
// through the destinations' address guard, so neither can be pointed at the deployment's own
// network. Certificates are parsed once and cached in memory per warm instance.
import { X509Certificate } from "node:crypto";
import https from "node:https";
import { addressPolicy, assertLiteralAllowed, guardedLookup } from "@/lib/destinations/address-guard";
import { getEnv } from "@/lib/env";

/** sns.<region>.amazonaws.com: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4… */
const snsHostPattern = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.amazonaws\.com$/;
const requestTimeoutMs = 5_000;
const maxAnswerBytes = 64 * 1024;

/** The URL when it is an https URL on an SNS host, with no port, user info or fragment; else undefined. */
export function snsUrl(text: string, options: { pemPath?: boolean } = {}): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || url.password !== "" || url.hash !== "") return undefined;
  if (!snsHostPattern.test(url.hostname)) return undefined;
  if (options.pemPath && (url.search !== "" || !url.pathname.endsWith(".pem"))) return undefined;
  return url;
}

/**
 * Test-only: connect SNS hosts to a local HTTPS peer (address, port) that presents a certificate
 * issued by `ca`. The SNS host rule still applies to every URL; only where the connection goes
 * and which CA is trusted change, and the address guard still checks the address. Refused in
 * production, so a deployment can never be redirected.
 */
interface SnsTestRoute {
  address: string;
  port: number;
  ca: string;
}

let testRoute: SnsTestRoute | undefined;

export function routeSnsForTest(route: SnsTestRoute | undefined): void {
  if (getEnv().production) throw new Error("routeSnsForTest is refused in production");
  testRoute = route;
  certificates.clear();
}

function connectOptions(url: URL): https.RequestOptions {
  const policy = addressPolicy(getEnv().allowPrivateDestinations);
  if (!testRoute) return { lookup: guardedLookup(policy) };
  const { address, port, ca } = testRoute;
  assertLiteralAllowed(address, policy);
  // The hostname stays the SNS host (SNI and certificate check); only the address is swapped.
  return { port, ca, lookup: (_host, options, callback) => guardedLookup(policy)(address, options, callback), servername: url.hostname };
}

function readAnswer(url: URL): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ...connectOptions(url), timeout: requestTimeoutMs, headers: { accept: "*/*" } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxAnswerBytes) request.destroy(new Error(`answer from ${url.hostname} is larger than ${maxAnswerBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${url.hostname} did not answer within ${requestTimeoutMs} ms`)));
    request.on("error", reject);
  });
}

const maxCachedCertificates = 32;
const certificates = new Map<string, Promise<X509Certificate>>();

/** The certificate at `url` (already checked by snsUrl), fetched and parsed once per warm instance. */
export function fetchSigningCertificate(url: URL): Promise<X509Certificate> {
  const cached = certificates.get(url.href);
  if (cached) return cached;
  const pending = readAnswer(url).then(({ status, text }) => {
    if (status !== 200) throw new Error(`${url.href} answered ${status}`);
    return new X509Certificate(text);
  });
  // A failed fetch (or a PEM that does not parse) is not remembered: the next message tries again.
  pending.catch(() => certificates.delete(url.href));
  if (certificates.size >= maxCachedCertificates) certificates.delete(certificates.keys().next().value ?? "");
  certificates.set(url.href, pending);
  return pending;
}

/** Visits SubscribeURL (already checked by snsUrl); SNS answers 200 with a ConfirmSubscriptionResponse. */
export async function confirmSubscription(url: URL): Promise<void> {
  const { status } = await readAnswer(url);
  if (status !== 200) throw new Error(`SubscribeURL answered ${status}`);
}
