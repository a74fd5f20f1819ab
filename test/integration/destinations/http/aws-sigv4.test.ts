// aws_sigv4 auth end to end: trigger → QStash → delivery → a local verifier standing in for AWS.
// The verifier recomputes each request's signature with an independent implementation (aws4)
// from the credentials it knows and answers 403 as AWS does on a mismatch; the operator sees the
// signature refusal named, and never the secret key or session token.
import aws4 from "aws4";
import { describe, expect, it } from "vitest";
import { call } from "../../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../../support/fixtures";
import { useApp } from "../../../support/harness";
import { useSink, type SinkRequest } from "../../../support/sink";
import { fireTrigger, onlyDelivery } from "../../../support/trigger";

const app = useApp();
const known = { accessKeyId: "AKIASWITCHYARDTEST01", secretAccessKey: "sy/secret+Access/Key-2026-verifier-0001", sessionToken: "FwoGZXIvYXdzEXAMPLE-session-token//0042==" };

interface Verdict {
  ok: boolean;
  signedHeaders: string[];
}
const verdicts: Verdict[] = [];

/** What AWS does: recompute the signature over the signed headers with the known credentials. */
function verify(request: SinkRequest): Verdict {
  const authorization = String(request.headers.authorization ?? "");
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(authorization);
  if (!match) return { ok: false, signedHeaders: [] };
  const [, accessKeyId, region, service, signed = ""] = match;
  const signedHeaders = signed.split(";");
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? "")]));
  const recomputed = aws4.sign(
    { host: String(request.headers.host), method: request.method, path: request.path, headers, body: request.body, service, region },
    { accessKeyId: known.accessKeyId, secretAccessKey: known.secretAccessKey, ...(request.headers["x-amz-security-token"] ? { sessionToken: known.sessionToken } : {}) },
  );
  const expected = (recomputed.headers as Record<string, string>).Authorization;
  return { ok: accessKeyId === known.accessKeyId && expected === authorization, signedHeaders };
}

const sink = useSink({
  respond: (request, response) => {
    const verdict = verify(request);
    verdicts.push(verdict);
    if (verdict.ok) return void response.writeHead(200, { "content-type": "application/json" }).end('{"message":"OK"}');
    response.writeHead(403, { "content-type": "application/json", "x-amzn-ErrorType": "InvalidSignatureException" });
    response.end('{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}');
  },
});

function sigv4(overrides: Record<string, unknown> = {}) {
  return { type: "aws_sigv4", region: "eu-west-1", service: "iotdevicegateway", ...known, ...overrides };
}

async function deliver(name: string, config: Record<string, unknown>) {
  const callback = await createCallback(app.url, { name, retries: 0, destinations: [httpDestination(`${sink.url}/topics/switchyard/${name}?qos=1`, config)] });
  const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: { door: "open" } }));
  const detail = await waitForDelivery(app.url, deliveryId, ["succeeded", "failed", "dead"]);
  const seen = sink.requests.find((request) => request.headers["webhook-id"] === deliveryId);
  return { callback, detail, seen };
}

describe("aws_sigv4 against a local verifier (aws4)", () => {
  it("IoT Core-style publish with session credentials: the verifier accepts the signature; the log masks Authorization and the token", async () => {
    const { detail, seen } = await deliver("iot-publish", { auth: sigv4() });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(verdicts.at(-1)?.ok).toBe(true);
    expect(seen?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIASWITCHYARDTEST01\/\d{8}\/eu-west-1\/iotdevicegateway\/aws4_request, /);
    expect(seen?.headers["x-amz-security-token"]).toBe(known.sessionToken);
    expect(JSON.parse(seen?.body ?? "{}")).toMatchObject({ request: { body: { door: "open" } } });
    const recorded = detail.attemptsLog[0]?.request.headers as Record<string, string>;
    expect(recorded.authorization).toBe("***");
    expect(recorded["x-amz-security-token"]).toBe("***");
    expect(recorded["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    const logged = JSON.stringify(detail);
    expect(logged).not.toContain(known.secretAccessKey);
    expect(logged).not.toContain(known.sessionToken);
  });

  it("signs last: the Standard Webhooks signature headers, the body and the query are all covered", async () => {
    const { detail } = await deliver("signed-webhook", { auth: sigv4({ sessionToken: undefined, service: "execute-api" }), sign: true, query: { v: "2" } });
    expect(detail.status, detail.lastError ?? "").toBe("succeeded");
    expect(verdicts.at(-1)?.signedHeaders).toEqual(expect.arrayContaining(["host", "content-type", "content-length", "x-amz-date", "webhook-id", "webhook-signature", "webhook-timestamp"]));
  });

  it("a wrong secret key: AWS's 403 fails the delivery at once, the reason names the refused signature", async () => {
    const { detail } = await deliver("wrong-secret", { auth: sigv4({ secretAccessKey: "not/the+secret/key-0000000000000000000" }) });
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(verdicts.at(-1)?.ok).toBe(false);
    expect(detail.lastStatusCode).toBe(403);
    expect(detail.lastError).toMatch(/^HTTP 403: AWS refused the SigV4 signature or credentials \(InvalidSignatureException\); check auth\.accessKeyId, auth\.secretAccessKey/);
  });

  it("the secret key and session token are sealed: the API shows them only as the mask", async () => {
    const { callback } = await deliver("sealed", { auth: sigv4() });
    const shown = await call<{ config: { auth: Record<string, unknown> } }>(app.url, "GET", `/api/destinations/${callback.destinations[0]?.id ?? ""}`);
    expect(shown.body.config.auth).toMatchObject({ type: "aws_sigv4", accessKeyId: known.accessKeyId, secretAccessKey: "***", sessionToken: "***" });
    expect(shown.text).not.toContain(known.secretAccessKey);
  });

  it("a region that is not an AWS name is a 422 naming the field", async () => {
    const answer = await call<{ error: { code: string; field?: string } }>(app.url, "POST", "/api/callbacks", {
      body: { name: "bad-region", destinations: [httpDestination(`${sink.url}/x`, { auth: sigv4({ region: "EU West 1" }) })] },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: "validation_failed", field: "destinations.0.config.auth.region" });
  });
});
