// The pure parts of issue #17: Slack's documented signing example, the SNS string to sign and
// certificate-URL rule, the test-only SNS route refused in production, and the acknowledgement's
// save-time rules.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { acknowledgementSchema } from "@/lib/callbacks/acknowledgement-input";
import { encryptSecret } from "@/lib/crypto/encryption";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TriggerConfig } from "@/lib/triggers/callback-cache";
import { routeSnsForTest, snsUrl } from "@/lib/triggers/handshakes/sns-fetch";
import { snsMessageSchema, snsStringToSign } from "@/lib/triggers/handshakes/sns-message";
import { verifyInboundSignature } from "@/lib/triggers/inbound-verification";
import { completeProductionEnv } from "../../../support/production-env";
import { triggerConfigWith } from "../../../support/trigger-config";

const unitKey = Buffer.alloc(32, 5).toString("base64");

function stubUnitEnv(): void {
  vi.stubEnv("ENCRYPTION_KEY", unitKey);
  for (const name of ["ADMIN_TOKEN", "SESSION_SECRET", "CRON_SECRET"]) vi.stubEnv(name, `unit-${name}`);
  vi.stubEnv("LOG_LEVEL", "silent");
  resetEnv();
}

beforeAll(stubUnitEnv);
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  stubUnitEnv();
});

// "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const slackBody =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const slackHeaders = new Headers({ "x-slack-request-timestamp": "1531420618", "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503" });

function slackConfig(): TriggerConfig {
  return triggerConfigWith({ inboundAuth: { type: "slack", toleranceSeconds: 300 }, inboundSecretEnc: encryptSecret(slackSecret) });
}

async function slackVerdict(nowSeconds: number): Promise<string> {
  vi.useFakeTimers({ now: nowSeconds * 1000, toFake: ["Date"] });
  try {
    await verifyInboundSignature(slackConfig(), slackHeaders, new TextEncoder().encode(slackBody));
    return "ok";
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.message}` : String(error);
  }
}

describe("inbound preset slack", () => {
  it("accepts Slack's documented example request within the 5-minute window", async () => {
    expect(await slackVerdict(1531420618 + 299)).toBe("ok");
  });

  it("refuses the same request 301 s later, and a changed body", async () => {
    expect(await slackVerdict(1531420618 + 301)).toBe("401 X-Slack-Request-Timestamp is outside the 300 s tolerance");
    vi.useFakeTimers({ now: 1531420618 * 1000, toFake: ["Date"] });
    await expect(verifyInboundSignature(slackConfig(), slackHeaders, new TextEncoder().encode(`${slackBody}x`))).rejects.toThrow("X-Slack-Signature");
  });
});

describe("SNS", () => {
  it("builds the documented string to sign for a notification (Subject included when present)", () => {
    const message = snsMessageSchema.parse({
      Type: "Notification",
      MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
      Subject: "My First Message",
      Message: "Hello world!",
      Timestamp: "2012-05-02T00:54:06.655Z",
      SignatureVersion: "1",
      Signature: "EXAMPLE",
      SigningCertURL: "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
      UnsubscribeURL: "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe",
    });
    expect(snsStringToSign(message)).toBe(
      "Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n",
    );
    expect(snsStringToSign({ ...message, Subject: undefined })).not.toContain("Subject");
  });

  it.each([
    ["https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", true],
    ["https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem", true],
    ["https://sns.ap-southeast-4.amazonaws.com/a.pem", true],
    ["http://sns.us-east-1.amazonaws.com/a.pem", false],
    ["https://sns.us-east-1.amazonaws.com:443/a.pem", true],
    ["https://sns.us-east-1.amazonaws.com:8443/a.pem", false],
    ["https://user@sns.us-east-1.amazonaws.com/a.pem", false],
    ["https://sns.us-east-1.amazonaws.com.evil.example/a.pem", false],
    ["https://evilsns.us-east-1.amazonaws.com/a.pem", false],
    ["https://sns.amazonaws.com/a.pem", false],
    ["https://sqs.us-east-1.amazonaws.com/a.pem", false],
    ["https://sns.us-east-1.amazonaws.com/a.pem?x=1", false],
    ["https://sns.us-east-1.amazonaws.com/a.txt", false],
  ])("certificate URL %s allowed: %s", (url, allowed) => {
    expect(snsUrl(url, { pemPath: true }) !== undefined).toBe(allowed);
  });

  it("refuses the test-only route in production", () => {
    for (const [name, value] of Object.entries(completeProductionEnv)) vi.stubEnv(name, value);
    resetEnv();
    expect(() => routeSnsForTest({ address: "127.0.0.1", port: 1, ca: "" })).toThrow("refused in production");
  });
});

describe("acknowledgement input", () => {
  const issuesOf = (input: unknown) => {
    const parsed = acknowledgementSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("accepts the request, {event_id}, {delivery_ids} and {callback_id}", () => {
    expect(issuesOf({ status: 200, body: '{"id": "{event_id}", "all": {delivery_ids}, "cb": "{callback_id}", "who": "{body.user}", "q": "{query.x}"}' })).toEqual([]);
  });

  it.each([
    [{ status: 204, body: "x" }, "body: a 204 answer has no body"],
    [{ status: 200, headers: { "Set-Cookie": "a=1" } }, "headers.Set-Cookie: Set-Cookie is set by the server"],
    [{ status: 200, headers: { "Transfer-Encoding": "chunked" } }, "headers.Transfer-Encoding: Transfer-Encoding is set by the server"],
    [{ status: 200, body: "{secret:API_KEY}" }, "body: {secret:API_KEY} is not available in an acknowledgement"],
    [{ status: 200, body: "{env:TRIGGER_VAR_A}" }, "body: {env:TRIGGER_VAR_A} is not available"],
    [{ status: 200, body: "{delivery_id}" }, "body: {delivery_id} is not available"],
    [{ status: 200, body: "{nope}" }, "body: unknown variable {nope}"],
    [{ status: 302 }, "status:"],
    [{ status: 200, headers: { "Content-Type": "text/html" }, body: "<p>{query.q}</p>" }, "headers.Content-Type: must be a literal type that is not HTML or script"],
    [{ status: 200, headers: { "content-type": "{query.type}" }, body: "x" }, "headers.content-type: must be a literal type"],
    [{ status: 200, headers: { "Content-Security-Policy": "default-src *" } }, "is set by the server"],
  ])("refuses %o", (input, message) => {
    expect(issuesOf(input).join("; ")).toContain(message);
  });
});
