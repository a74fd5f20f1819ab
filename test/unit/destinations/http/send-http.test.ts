// The HTTP sender against real local peers: body types, timeout, what gets recorded (masked),
// and template failures as permanent outcomes naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { deliveryId, makeJob, makeSendContext } from "./fixtures";
import { startSink, type Sink } from "../../../support/sink";

let peer: Sink;
beforeAll(async () => {
  peer = await startSink({
    host: "127.0.0.1",
    respond: (request, response) => {
      if (request.path.startsWith("/slow")) return; // never answers
      if (request.path.startsWith("/big")) return void response.writeHead(200, { "x-big": "yes" }).end("x".repeat(5000));
      response.writeHead(request.path.startsWith("/fail") ? 500 : 200, { "content-type": "application/json" }).end('{"ok":true}');
    },
  });
});
afterAll(() => peer.close());

const lastSeen = () => peer.requests[peer.requests.length - 1];

describe("HTTP sender", () => {
  it.each([
    ["json", '{"a":"{body.order.id}"}', "application/json", '{"a":"42"}'],
    ["text", "id={body.order.id}", "text/plain; charset=utf-8", "id=42"],
    ["form", "id={body.order.id}&q={query.q}", "application/x-www-form-urlencoded", "id=42&q=search"],
    ["xml", "<id>{body.order.id}</id>", "application/xml", "<id>42</id>"],
  ])("sends a %s body with its content type", async (bodyType, body, contentType, expected) => {
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/ct`, bodyType, body }));
    expect(outcome.result).toBe("succeeded");
    expect(lastSeen()?.headers["content-type"]).toBe(contentType);
    expect(lastSeen()?.body).toBe(expected);
  });

  it("keeps a content type set in headers", async () => {
    await sendHttp(makeSendContext({ url: `${peer.url}/ct`, body: "{}", headers: { "Content-Type": "application/vnd.api+json" } }));
    expect(lastSeen()?.headers["content-type"]).toBe("application/vnd.api+json");
  });

  it("sends the default envelope as JSON when no body is configured, and no body for GET", async () => {
    await sendHttp(makeSendContext({ url: `${peer.url}/env` }));
    expect(lastSeen()).toMatchObject({ body: '{"envelope":true}', headers: { "content-type": "application/json" } });
    await sendHttp(makeSendContext({ url: `${peer.url}/get`, method: "GET", body: "ignored" }));
    expect(lastSeen()).toMatchObject({ method: "GET", body: "" });
    expect(lastSeen()?.headers["content-type"]).toBeUndefined();
  });

  it("times out with a retryable outcome within the destination's timeout", async () => {
    const started = Date.now();
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/slow`, timeoutMs: 300 }));
    expect(outcome.result).toBe("retryable");
    expect(outcome.error).toBe("Timeout: timed out after 300 ms");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("records status, headers, the first 1 KB of the body and timings", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/big` }));
    expect(outcome.result).toBe("succeeded");
    const response = outcome.response as { status: number; headers: Record<string, string>; body: string; timings: Record<string, number> };
    expect(response.status).toBe(200);
    expect(response.headers["x-big"]).toBe("yes");
    expect(response.body).toBe("x".repeat(1024));
    expect(response.timings.totalMs).toBeGreaterThanOrEqual(response.timings.firstByteMs ?? 0);
    expect(typeof response.timings.connectMs).toBe("number");
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("records a 5xx as retryable with the response kept", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/fail` }));
    expect(outcome).toMatchObject({ result: "retryable", statusCode: 500, error: "HTTP 500", response: { body: '{"ok":true}' } });
  });

  it("masks every credential in the recorded request but sends them for real", async () => {
    const secrets = { KEY: "query-key-value-9" };
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/k?x=1`, auth: { type: "api_key", in: "query", name: "api_key", value: "{secret:KEY}" } }, { secrets }));
    expect(lastSeen()?.path).toBe("/k?x=1&api_key=query-key-value-9");
    expect(outcome.request.url).toBe(`${peer.url}/k?x=1&api_key=***`);
    const basic = await sendHttp(makeSendContext({ url: `${peer.url}/b`, auth: { type: "basic", username: "u", password: "pw-123456" } }));
    expect(lastSeen()?.headers.authorization).toBe(`Basic ${Buffer.from("u:pw-123456").toString("base64")}`);
    expect((basic.request.headers as Record<string, string>).authorization).toBe("***");
    expect(JSON.stringify(basic)).not.toContain(Buffer.from("u:pw-123456").toString("base64"));
  });

  it("signs with Standard Webhooks when sign is on; a missing secret is a permanent failure", async () => {
    const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/signed`, body: '{"id":"{body.order.id}"}', sign: true }, { signingSecret: secret }));
    expect(outcome.result).toBe("succeeded");
    const seen = lastSeen();
    expect(seen?.headers["webhook-id"]).toBe(deliveryId);
    expect(new Webhook(secret).verify(seen?.body ?? "", seen?.headers as Record<string, string>)).toEqual({ id: "42" });
    const unsigned = await sendHttp(makeSendContext({ url: `${peer.url}/signed`, sign: true }));
    expect(unsigned.result).toBe("permanent");
    expect(unsigned.error).toMatch(/no signing secret/);
  });

  it.each([
    [{ headers: { "X-Token": "{secret:GONE}" } }, /^Content error: Template error in config\.headers\.X-Token: \{secret:GONE\}: secret "GONE" does not exist$/],
    [{ body: '{"v":"{var.region}"}' }, /^Content error: Template error in config\.body: \{var\.region\}: variable "region" is not defined/],
    [{ url: "{body.order.id}" }, /^Content error: Template error in config\.url: /],
    [{ headers: { "X-Emoji": "{body.e}" } }, /^Content error: Template error in config\.headers\.X-Emoji: .*cannot carry/],
    [{ auth: { type: "bearer", token: "{secret:NOPE}" } }, /^Content error: Template error in config\.auth\.token: /],
  ])("a template that cannot render is a permanent failure naming the field (%o)", async (config, message) => {
    const before = peer.requests.length;
    const job = makeJob('{"order":{"id":42},"e":"\\ud83d\\ude00"}');
    const outcome = await sendHttp(makeSendContext({ url: `${peer.url}/t`, ...config }, { job }));
    expect(outcome.result).toBe("permanent");
    expect(outcome.error).toMatch(message);
    expect(peer.requests.length).toBe(before);
  });
});
