// Inbound signature presets on a callback: genuine GitHub, Stripe, Standard Webhooks and generic
// HMAC signatures (computed here) are accepted; a tampered body, a wrong secret, a missing
// header or a stale Stripe timestamp get 401 and publish nothing.
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
const sink = useSink();

const body = '{"action":"opened","number":7}';
const tampered = '{"action":"opened","number":8}';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const hex = (algorithm: string, secret: string, text: string) => createHmac(algorithm, secret).update(text).digest("hex");

type Signer = (secret: string, payload: string) => Record<string, string>;

interface Preset {
  name: string;
  inboundAuth: Record<string, unknown>;
  secret: string;
  sign: Signer;
  /** Extra refused cases specific to the preset. */
  extra?: Array<[string, () => Record<string, string>]>;
}

const whsec = `whsec_${Buffer.from("inbound-standard-webhooks-key!!").toString("base64")}`;
const otherWhsec = `whsec_${Buffer.from("some-other-standard-webhooks-key").toString("base64")}`;
const stripeHeader = (secret: string, payload: string, timestamp = nowSeconds()) => ({
  "stripe-signature": `t=${timestamp},v1=${"0".repeat(64)},v1=${hex("sha256", secret, `${timestamp}.${payload}`)}`,
});

const presets: Preset[] = [
  {
    name: "github",
    inboundAuth: { type: "github", secret: "gh-secret-1" },
    secret: "gh-secret-1",
    sign: (secret, payload) => ({ "x-hub-signature-256": `sha256=${hex("sha256", secret, payload)}` }),
    extra: [["a sha1 signature in the sha256 header", () => ({ "x-hub-signature-256": `sha1=${hex("sha1", "gh-secret-1", body)}` })]],
  },
  {
    name: "stripe",
    inboundAuth: { type: "stripe", secret: "whsec_stripe_secret_2" },
    secret: "whsec_stripe_secret_2",
    sign: (secret, payload) => stripeHeader(secret, payload),
    extra: [
      ["a timestamp outside the 300 s tolerance", () => stripeHeader("whsec_stripe_secret_2", body, nowSeconds() - 301)],
      ["a timestamp too far in the future", () => stripeHeader("whsec_stripe_secret_2", body, nowSeconds() + 400)],
    ],
  },
  {
    name: "standard_webhooks",
    inboundAuth: { type: "standard_webhooks", secret: whsec },
    secret: whsec,
    sign: (secret, payload) => {
      const id = `msg_${Math.random().toString(36).slice(2)}`;
      const timestamp = new Date();
      return { "webhook-id": id, "webhook-timestamp": String(nowSeconds()), "webhook-signature": new Webhook(secret).sign(id, timestamp, payload) };
    },
    extra: [
      [
        "a stale timestamp",
        () => {
          const stale = new Date(Date.now() - 600_000);
          return { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(stale.getTime() / 1000)), "webhook-signature": new Webhook(whsec).sign("msg_1", stale, body) };
        },
      ],
    ],
  },
  {
    name: "hmac",
    inboundAuth: { type: "hmac", secret: "generic-secret-3", header: "X-Signature", algorithm: "sha512", encoding: "base64", prefix: "sha512=" },
    secret: "generic-secret-3",
    sign: (secret, payload) => ({ "x-signature": `sha512=${createHmac("sha512", secret).update(payload).digest("base64")}` }),
    extra: [["the digest without its prefix", () => ({ "x-signature": createHmac("sha512", "generic-secret-3").update(body).digest("base64") })]],
  },
];

const wrongSecretOf = (preset: Preset) => (preset.name === "standard_webhooks" ? otherWhsec : `${preset.secret}-wrong`);

describe.each(presets)("inbound preset $name", (preset) => {
  let callbackId = "";
  let triggerUrl = "";
  beforeAll(async () => {
    const callback = await createCallback(app.url, {
      name: `inbound-${preset.name}`,
      inboundAuth: preset.inboundAuth,
      destinations: [httpDestination(`${sink.url}/inbound-${preset.name}`)],
    });
    callbackId = callback.id;
    triggerUrl = callback.triggerUrl;
  });

  const send = (headers: Record<string, string>, payload = body) => fireTrigger(triggerUrl, { raw: payload, headers: { "content-type": "application/json", ...headers } });

  const refusals: Array<[string, () => Record<string, string>, string?]> = [
    ["a tampered body", () => preset.sign(preset.secret, body), tampered],
    ["a wrong secret", () => preset.sign(wrongSecretOf(preset), body)],
    ["a missing signature header", () => ({})],
    ...(preset.extra ?? []),
  ];

  it.each(refusals)("refuses %s with 401 invalid_signature", async (_label, headers, payload) => {
    const answer = await send(headers(), payload);
    expect(answer.status).toBe(401);
    expect((JSON.parse(answer.text) as { error: { code: string } }).error.code).toBe("invalid_signature");
  });

  it("accepts a genuine signature and delivers exactly that one trigger (nothing was published for the refused ones)", async () => {
    const answer = await send(preset.sign(preset.secret, body));
    expect(answer.status, answer.text).toBe(202);
    await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded"]);
    expect(await listDeliveries(app.url, `callbackId=${callbackId}`)).toHaveLength(1);
    expect(sink.requests.filter((request) => request.path === `/inbound-${preset.name}`)).toHaveLength(1);
  });
});

describe("inbound auth configuration", () => {
  it("shows the secret masked, keeps it on a masked PATCH, and can be removed", async () => {
    const callback = await createCallback(app.url, { name: "inbound-config", inboundAuth: { type: "github", secret: "config-secret-77" } });
    const fetched = await call<{ inboundAuth: unknown }>(app.url, "GET", `/api/callbacks/${callback.id}`);
    expect(fetched.body.inboundAuth).toEqual({ type: "github", secret: "***" });
    expect(fetched.text).not.toContain("config-secret-77");
    const row = await app.db.selectFrom("callbacks").selectAll().where("id", "=", callback.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("config-secret-77");

    const patched = await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { inboundAuth: { type: "github", secret: "***" } } });
    expect(patched.status).toBe(200);
    const signed = { "x-hub-signature-256": `sha256=${hex("sha256", "config-secret-77", body)}` };
    expect((await fireTrigger(callback.triggerUrl, { raw: body, headers: signed })).status).toBe(202);

    const cleared = await call<{ inboundAuth: unknown }>(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { inboundAuth: null } });
    expect(cleared.body.inboundAuth).toBeNull();
    expect((await fireTrigger(callback.triggerUrl, { raw: body })).status).toBe(202);
  });

  it("turning verification on takes effect at once (the trigger cache is invalidated)", async () => {
    const callback = await createCallback(app.url, { name: "inbound-late" });
    expect((await fireTrigger(callback.triggerUrl, { raw: body })).status).toBe(202);
    await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { inboundAuth: { type: "github", secret: "late-secret" } } });
    expect((await fireTrigger(callback.triggerUrl, { raw: body })).status).toBe(401);
  });

  it.each([
    [{ type: "github" }, "inboundAuth.secret"],
    [{ type: "github", secret: "***" }, "inboundAuth.secret"],
    [{ type: "standard_webhooks", secret: "not base64!" }, "inboundAuth.secret"],
    [{ type: "hmac", secret: "s", header: "bad header" }, "inboundAuth.header"],
    [{ type: "hmac", secret: "s", header: "X-Sig", algorithm: "md5" }, "inboundAuth.algorithm"],
    [{ type: "nope", secret: "s" }, "inboundAuth.type"],
  ])("refuses the invalid config %o naming %s", async (inboundAuth, field) => {
    const result = await call<{ error: { field?: string } }>(app.url, "POST", "/api/callbacks", { body: { name: "bad-inbound", inboundAuth } });
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe(field);
  });
});
