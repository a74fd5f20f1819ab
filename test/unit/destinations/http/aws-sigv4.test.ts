// SigV4 for HTTP destinations against AWS's published test vectors (test/fixtures/sigv4): each
// request goes through the sender's own signing path with the suite's fixed date and
// credentials and must produce the suite's exact Authorization header. Also which 401/403
// answers read as AWS refusing the signature.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { awsRefusal, signAwsRequest } from "@/lib/destinations/http/aws-sigv4";
import type { OutgoingRequest } from "@/lib/destinations/http/request";

const fixtures = path.resolve(import.meta.dirname, "../../../fixtures/sigv4");
const suiteDate = new Date("2015-08-30T12:36:00Z");
const suiteCredentials = { region: "us-east-1", service: "service", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

/** A suite request file: request line, `Name:value` headers, a blank line, the body. */
function parseSuiteRequest(text: string): { request: OutgoingRequest; authorization?: string; sessionToken?: string } {
  const [head = "", body] = text.split(/\n\n/);
  const [requestLine = "", ...headerLines] = head.split("\n");
  const [method = "", target = ""] = requestLine.split(" ");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1);
  }
  const { authorization, "x-amz-security-token": sessionToken, ...rest } = headers;
  const request: OutgoingRequest = { method, url: new URL(`https://${headers.host}${target}`), headers: rest, body: body === undefined || body === "" ? undefined : body };
  return { request, authorization, sessionToken };
}

const read = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

describe("SigV4 signing path against AWS's test suite", () => {
  it.each([
    "get-vanilla",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-unreserved",
    "get-vanilla-empty-query-key",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-header-key-sort",
    "post-sts-header-before",
  ])("%s: the suite's exact Authorization header", async (name) => {
    const { request, sessionToken } = parseSuiteRequest(read(`${name}.req`));
    const signed = await signAwsRequest(request, { ...suiteCredentials, ...(sessionToken ? { sessionToken } : {}) }, suiteDate);
    expect(signed.headers.authorization).toBe(read(`${name}.authz`).trim());
    expect(signed.headers["x-amz-date"]).toBe("20150830T123600Z");
  });

  it("get-vanilla-with-session-token: the token from the credentials is sent and signed", async () => {
    const { request, authorization, sessionToken } = parseSuiteRequest(read("get-vanilla-with-session-token.sreq"));
    expect(sessionToken).toBe("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
    const signed = await signAwsRequest(request, { ...suiteCredentials, sessionToken }, suiteDate);
    expect(signed.headers.authorization).toBe(authorization);
    expect(signed.headers["x-amz-security-token"]).toBe(sessionToken);
  });

  it("a wrong secret key gives another signature (the vectors can fail)", async () => {
    const { request } = parseSuiteRequest(read("get-vanilla.req"));
    const signed = await signAwsRequest(request, { ...suiteCredentials, secretAccessKey: "not-the-key" }, suiteDate);
    expect(signed.headers.authorization).not.toBe(read("get-vanilla.authz").trim());
  });

  it("signs a request again from scratch: an earlier hop's signature headers are replaced", async () => {
    const { request } = parseSuiteRequest(read("get-vanilla.req"));
    const stale = { ...request, headers: { ...request.headers, authorization: "AWS4-HMAC-SHA256 stale", "x-amz-security-token": "old-token" } };
    const signed = await signAwsRequest(stale, suiteCredentials, suiteDate);
    expect(signed.headers.authorization).toBe(read("get-vanilla.authz").trim());
    expect(signed.headers["x-amz-security-token"]).toBeUndefined();
  });
});

describe("awsRefusal", () => {
  const answer = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, headers, body });

  it.each([
    ["S3-style XML", answer(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>"), "SignatureDoesNotMatch"],
    ["API Gateway", answer(403, '{"message":"The request signature we calculated does not match the signature you provided."}'), "SignatureDoesNotMatch"],
    ["Lambda URL error type", answer(403, '{"Message":"…"}', { "x-amzn-errortype": "InvalidSignatureException" }), "InvalidSignatureException"],
    ["IoT unknown key", answer(403, '{"message":"…"}', { "x-amzn-errortype": "UnrecognizedClientException:" }), "UnrecognizedClientException"],
    ["bad session token", answer(403, '{"message":"The security token included in the request is invalid."}'), "security token"],
  ])("%s: names the signature or credentials", (_, response, cause) => {
    const reason = awsRefusal(response);
    expect(reason).toContain(`HTTP 403: AWS refused the SigV4 signature or credentials`);
    expect(reason).toContain(cause);
  });

  it("leaves other answers to the plain status message", () => {
    expect(awsRefusal(answer(403, "forbidden"))).toBeUndefined();
    expect(awsRefusal(answer(500, "SignatureDoesNotMatch"))).toBeUndefined();
  });
});
