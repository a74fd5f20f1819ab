// Trigger edges a hostile or careless sender reaches: malformed cursors and deep samples get a
// 4xx naming the field (never a 500), a custom path without its token looks like an unknown
// path, an idempotency key cannot fetch another body's answer, signed provider webhooks that are
// replayed are answered once, and header names operators set stay plain.
import { execFile } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { curlForPath, curlForToken, type TriggerTarget } from "@/lib/ui/trigger-snippets";
import { call, waitFor, type ErrorBody } from "../../support/api";
import { createCallback, httpDestination, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { useSink } from "../../support/sink";
import { fireTrigger, onlyDelivery, type TriggerAnswer } from "../../support/trigger";

const app = useApp();
const sink = useSink();

const hitsOn = (path: string) => sink.requests.filter((request) => request.path === path).length;

describe("cursors are checked before they reach SQL", () => {
  // 36 characters of hex and dashes, but not UUIDs: the old pattern let these through to SQL.
  const notUuids = ["0123456789abcdef0123456789abcdef----", "------------------------------------", "0123abcd-0123-0123-0123-0123456789a-"];

  it.each(notUuids)("GET /api/deliveries?cursor=%j → 422 naming cursor", async (cursor) => {
    const result = await call<ErrorBody>(app.url, "GET", `/api/deliveries?cursor=${encodeURIComponent(cursor)}`);
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe("cursor");
  });

  it("GET /api/deliveries?after=<not a UUID> → 422 naming after", async () => {
    const result = await call<ErrorBody>(app.url, "GET", `/api/deliveries?after=${"f".repeat(32)}----`);
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe("after");
  });

  it.each(notUuids)("GET /api/alerts?cursor=%j → 422 naming cursor", async (cursor) => {
    const result = await call<ErrorBody>(app.url, "GET", `/api/alerts?cursor=${encodeURIComponent(cursor)}`);
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe("cursor");
  });
});

describe("a deeply nested test sample", () => {
  it("is refused with 422 naming body, and the function keeps answering", async () => {
    const callback = await createCallback(app.url, { name: "deep-test", destinations: [httpDestination(`${sink.url}/deep-test`)] });
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const refused = await call<ErrorBody>(app.url, "POST", `/api/callbacks/${callback.id}/test`, {
      raw: `{"body":${deep}}`,
      headers: { "content-type": "application/json" },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.field).toBe("body");
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(0);

    const fired = await call<{ deliveries: Array<{ id: string }> }>(app.url, "POST", `/api/callbacks/${callback.id}/test`, { body: { body: { ok: 1 } } });
    expect(fired.status, fired.text).toBe(202);
    await waitForDelivery(app.url, fired.body.deliveries[0]?.id ?? "", ["succeeded"]);
  });
});

describe("a custom path with a token header", () => {
  const path = `edge-${Date.now()}/orders`;
  let token = "";
  beforeAll(async () => {
    const callback = await createCallback(app.url, {
      name: "path-token-first",
      path,
      pathTokenHeader: "X-Trigger-Token",
      methods: ["POST"],
      destinations: [httpDestination(`${sink.url}/path-token`)],
    });
    token = callback.token;
  });

  async function answer(method: string, hookPath: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${app.url}/api/hooks/${hookPath}`, { method, headers, body: method === "GET" ? undefined : "{}" });
    return { status: response.status, allow: response.headers.get("allow"), body: await response.text() };
  }

  it("answers a missing or wrong token exactly like an unknown path whatever the method; with the token, 405 + Allow or 202", async () => {
    const unknown = await answer("POST", `${path}-nope`);
    expect(unknown.status).toBe(404);
    const cases: Array<[string, Record<string, string>]> = [
      ["POST", {}],
      ["POST", { "x-trigger-token": "wrong" }],
      ["GET", {}],
      ["GET", { "x-trigger-token": "wrong" }],
      ["DELETE", { "x-trigger-token": `${token}x` }],
    ];
    for (const [method, headers] of cases) {
      expect(await answer(method, path, headers), `${method} ${JSON.stringify(headers)}`).toEqual(unknown);
    }
    expect(hitsOn("/path-token")).toBe(0);

    // Only with the right token does the method matter.
    const wrongMethod = await answer("GET", path, { "x-trigger-token": token });
    expect([wrongMethod.status, wrongMethod.allow]).toEqual([405, "POST"]);
    expect((await answer("POST", path, { "x-trigger-token": token })).status).toBe(202);
  });
});

describe("a custom path with a token header and a verification handshake", () => {
  const path = `edge-hs-${Date.now()}/meta`;
  let callbackId = "";
  let token = "";
  beforeAll(async () => {
    const callback = await createCallback(app.url, {
      name: "path-token-handshake",
      path,
      pathTokenHeader: "X-Trigger-Token",
      methods: ["GET", "POST"],
      handshake: { type: "meta", secret: "edge-verify-token" },
      destinations: [httpDestination(`${sink.url}/path-token-handshake`)],
    });
    callbackId = callback.id;
    token = callback.token;
  });

  const verification = "?hub.mode=subscribe&hub.challenge=8675309&hub.verify_token=edge-verify-token";
  async function answer(hookPath: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${app.url}/api/hooks/${hookPath}${verification}`, { headers });
    return { status: response.status, allow: response.headers.get("allow"), body: await response.text() };
  }
  const handshakeEvents = () => app.db.selectFrom("events").select("id").where("callback_id", "=", callbackId).where("kind", "=", "handshake").execute();

  it("answers the provider's GET without the token exactly like an unknown path, records nothing; with it, the challenge", async () => {
    const unknown = await answer(`${path}-nope`);
    expect(unknown.status).toBe(404);
    expect(await answer(path)).toEqual(unknown);
    expect(await answer(path, { "x-trigger-token": "wrong" })).toEqual(unknown);
    expect(await handshakeEvents()).toHaveLength(0);

    const answered = await answer(path, { "x-trigger-token": token });
    expect([answered.status, answered.body]).toEqual([200, "8675309"]);
    expect(await handshakeEvents()).toHaveLength(1);
    expect(hitsOn("/path-token-handshake")).toBe(0);
  });
});

describe("the same idempotency key", () => {
  // With a rate limit the claim rides in the rate limit's Redis script (issue #18); without one it is the script's only key.
  it.each([
    ["", null],
    [" on a rate-limited callback", 600],
  ])("with a different body → 422 idempotency_key_reused; with the same body → the first answer, one delivery%s", async (_label, rateLimitPerMinute) => {
    const sinkPath = `/idem-body-${rateLimitPerMinute ?? "none"}`;
    const callback = await createCallback(app.url, { name: "idem-body", rateLimitPerMinute, destinations: [httpDestination(`${sink.url}${sinkPath}`)] });
    const key = `order-${randomUUID()}`;
    const first = await fireTrigger(callback.triggerUrl, { raw: '{"amount":10}', headers: { "idempotency-key": key } });
    expect(first.status).toBe(202);
    const other = await fireTrigger(callback.triggerUrl, { raw: '{"amount":1000}', headers: { "idempotency-key": key } });
    expect(other.status, other.text).toBe(422);
    expect((JSON.parse(other.text) as ErrorBody).error).toMatchObject({ code: "idempotency_key_reused", field: "idempotency-key" });
    const again = await fetch(callback.triggerUrl, { method: "POST", body: '{"amount":10}', headers: { "idempotency-key": key } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(first.text);
    await waitForDelivery(app.url, onlyDelivery(first), ["succeeded"]);
    expect(await listDeliveries(app.url, `callbackId=${callback.id}`)).toHaveLength(1);
    expect(hitsOn(sinkPath)).toBe(1);
  });
});

const hex = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");
const whsec = `whsec_${Buffer.from("replayed-standard-webhooks-key!!").toString("base64")}`;

interface ProviderCase {
  name: string;
  inboundAuth: Record<string, unknown>;
  /** A signed request for delivery `id`; the same id always yields the same body. */
  signed(id: string): { body: string; headers: Record<string, string> };
  /** The same delivery with its signature broken. */
  forged(id: string): { body: string; headers: Record<string, string> };
}

const providers: ProviderCase[] = [
  {
    name: "github",
    inboundAuth: { type: "github", secret: "gh-replay-secret" },
    signed: (id) => {
      const body = `{"action":"opened","n":"${id}"}`;
      return { body, headers: { "x-github-delivery": id, "x-hub-signature-256": `sha256=${hex("gh-replay-secret", body)}` } };
    },
    forged: (id) => ({ body: `{"action":"opened","n":"${id}"}`, headers: { "x-github-delivery": id, "x-hub-signature-256": `sha256=${"0".repeat(64)}` } }),
  },
  {
    name: "standard_webhooks",
    inboundAuth: { type: "standard_webhooks", secret: whsec },
    signed: (id) => {
      const body = `{"type":"invoice.paid","n":"${id}"}`;
      const now = new Date();
      const headers = { "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": new Webhook(whsec).sign(id, now, body) };
      return { body, headers };
    },
    forged: (id) => ({
      body: `{"type":"invoice.paid","n":"${id}"}`,
      headers: { "webhook-id": id, "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}` },
    }),
  },
  {
    name: "stripe",
    inboundAuth: { type: "stripe", secret: "whsec_stripe_replay" },
    signed: (id) => {
      const body = `{"id":"${id}","type":"charge.succeeded"}`;
      const timestamp = Math.floor(Date.now() / 1000);
      return { body, headers: { "stripe-signature": `t=${timestamp},v1=${hex("whsec_stripe_replay", `${timestamp}.${body}`)}` } };
    },
    forged: (id) => ({ body: `{"id":"${id}","type":"charge.succeeded"}`, headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` } }),
  },
];

describe.each(providers)("a replayed signed $name webhook", (provider) => {
  let callbackId = "";
  let triggerUrl = "";
  const sinkPath = `/replay-${provider.name}`;
  beforeAll(async () => {
    const callback = await createCallback(app.url, { name: `replay-${provider.name}`, inboundAuth: provider.inboundAuth, destinations: [httpDestination(`${sink.url}${sinkPath}`)] });
    callbackId = callback.id;
    triggerUrl = callback.triggerUrl;
  });

  const send = async (request: { body: string; headers: Record<string, string> }) => {
    const response = await fetch(triggerUrl, { method: "POST", body: request.body, headers: { "content-type": "application/json", ...request.headers } });
    return { status: response.status, replayed: response.headers.get("idempotent-replayed"), text: await response.text() };
  };

  it("gets its first answer again and makes no new delivery; a new delivery id is a new event", async () => {
    const id = `evt_${randomUUID()}`;
    const forged = await send(provider.forged(id));
    expect(forged.status).toBe(401);
    const first = await send(provider.signed(id));
    expect(first.status, first.text).toBe(202);
    expect(first.replayed).toBeNull();
    const replay = await send(provider.signed(id));
    expect([replay.status, replay.replayed, replay.text]).toEqual([202, "true", first.text]);

    const firstAnswer = JSON.parse(first.text) as TriggerAnswer;
    await waitForDelivery(app.url, firstAnswer.deliveries[0]?.id ?? "", ["succeeded"]);
    expect(await listDeliveries(app.url, `callbackId=${callbackId}`)).toHaveLength(1);

    const next = await send(provider.signed(`evt_${randomUUID()}`));
    expect(next.status).toBe(202);
    expect((JSON.parse(next.text) as TriggerAnswer).eventId).not.toBe(firstAnswer.eventId);
    await waitForDelivery(app.url, (JSON.parse(next.text) as TriggerAnswer).deliveries[0]?.id ?? "", ["succeeded"]);
    expect(await listDeliveries(app.url, `callbackId=${callbackId}`)).toHaveLength(2);
    expect(hitsOn(sinkPath)).toBe(2);
  });
});

describe("header names operators set", () => {
  // Each is a valid HTTP token, so only the plain-name rule refuses it.
  const badNames = ["X_Token", "X.Token", "X-Token!", "X'Token", "X$Token", "X`Token`"];

  it.each(badNames)("refuses %j as pathTokenHeader, idempotencyHeader and inbound HMAC header with 422 naming the field", async (name) => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ path: `names-${randomUUID()}`, pathTokenHeader: name }, "pathTokenHeader"],
      [{ idempotencyHeader: name }, "idempotencyHeader"],
      [{ inboundAuth: { type: "hmac", secret: "s", header: name } }, "inboundAuth.header"],
    ];
    for (const [fields, field] of cases) {
      const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body: { name: "bad-header-name", ...fields } });
      expect(result.status, `${field} ${result.text}`).toBe(422);
      expect(result.body.error.field).toBe(field);
    }
  });

  it.each(badNames)("refuses %j as an acknowledgement header with 422 naming it", async (name) => {
    const result = await call<ErrorBody>(app.url, "POST", "/api/callbacks", { body: { name: "bad-ack-header", response: { status: 200, headers: { [name]: "x" }, body: "ok" } } });
    expect(result.status, result.text).toBe(422);
    expect(result.body.error.field).toBe(`response.headers.${name}`);
    expect(result.body.error.message).toContain("letters, digits and -");
  });

  it.each(badNames)("refuses %j as a destination header, api_key header, signatureHeader or alert webhook header with 422 naming it", async (name) => {
    const callback = await createCallback(app.url, { name: "destination-header-names" });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ headers: { [name]: "v" } }, `config.headers.${name}`],
      [{ auth: { type: "api_key", in: "header", name, value: "k" } }, "config.auth.name"],
      [{ sign: true, signatureHeader: name }, "config.signatureHeader"],
    ];
    for (const [config, field] of cases) {
      const result = await call<ErrorBody>(app.url, "POST", `/api/callbacks/${callback.id}/destinations`, { body: httpDestination(`${sink.url}/never`, config) });
      expect([result.status, result.body.error.field], result.text).toEqual([422, field]);
      expect(result.body.error.message).toContain("letters, digits and -");
    }
    const alert = await call<ErrorBody>(app.url, "PUT", "/api/settings/alerts", { body: { config: { url: `${sink.url}/never`, headers: { [name]: "v" } } } });
    expect([alert.status, alert.body.error.field], alert.text).toEqual([422, `config.headers.${name}`]);
  });

  it("a destination saved with a header name from before the rule still delivers it", async () => {
    const callback = await createCallback(app.url, { name: "legacy-header-name", destinations: [httpDestination(`${sink.url}/legacy-header`, { headers: { "X-Legacy": "1" } })] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const row = await app.db.selectFrom("destinations").select("config").where("id", "=", destinationId).executeTakeFirstOrThrow();
    const config = { ...(row.config as Record<string, unknown>), headers: { X_Legacy: "1" } };
    await app.db
      .updateTable("destinations")
      .set({ config: JSON.stringify(config) })
      .where("id", "=", destinationId)
      .execute();
    const answer = await fireTrigger(callback.triggerUrl);
    expect((await waitForDelivery(app.url, onlyDelivery(answer), ["succeeded", "failed", "dead"])).status).toBe("succeeded");
    expect(sink.requests.find((request) => request.path === "/legacy-header")?.headers.x_legacy).toBe("1");
  });

  it("refuses a bad name on PATCH too", async () => {
    const callback = await createCallback(app.url, { name: "patch-header-name" });
    const result = await call<ErrorBody>(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { idempotencyHeader: "Idem_Key" } });
    expect(result.status).toBe(422);
    expect(result.body.error.field).toBe("idempotencyHeader");
  });
});

describe("the console's copy-paste curl", () => {
  /** The snippet as an operator pastes it into sh, with curl's answer printed instead of its body. */
  async function paste(snippet: string | null, token: string): Promise<string> {
    const { stdout } = await promisify(execFile)("/bin/sh", ["-c", `${snippet ?? "false"} -sS -o /dev/null -w '%{http_code}'`], { env: { ...process.env, SWITCHYARD_TOKEN: token } });
    return stdout;
  }

  it("pasted into a shell, triggers the callback by token URL and by custom path with its token header, with the placeholder or the token itself", async () => {
    const path = `pasted-${Date.now()}/orders`;
    const callback = await createCallback(app.url, { name: "pasted-curl", path, pathTokenHeader: "X-Trigger-Token", destinations: [httpDestination(`${sink.url}/pasted`)] });
    const target: TriggerTarget = { appUrl: app.url, methods: ["POST"], path, pathTokenHeader: "X-Trigger-Token" };
    expect(await paste(curlForToken(target), callback.token)).toBe("202");
    expect(await paste(curlForPath(target), callback.token)).toBe("202");
    expect(await paste(curlForPath(target, callback.token), "unused")).toBe("202");
    expect(await paste(curlForPath(target), "wrong")).toBe("404");
    await waitFor(async () => hitsOn("/pasted") === 3, { what: "three deliveries of the pasted triggers" });
    const bodies = sink.requests.filter((request) => request.path === "/pasted").map((request) => (JSON.parse(request.body) as { request: { body: unknown } }).request.body);
    expect(bodies).toEqual([{ hello: "world" }, { hello: "world" }, { hello: "world" }]);
  });
});

describe("header names a transform returns", () => {
  it("a name outside letters, digits and - fails the delivery with a reason naming it, and nothing is sent", async () => {
    const callback = await createCallback(app.url, { name: "transform-header-name", destinations: [httpDestination(`${sink.url}/transform-header`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const transform = "function transform(event) { return { headers: { 'X_Token': '1' }, body: event.body }; }";
    const saved = await call(app.url, "PATCH", `/api/destinations/${destinationId}`, { body: { transform } });
    expect(saved.status, saved.text).toBe(200);
    const answer = await fireTrigger(callback.triggerUrl, { raw: '{"n":1}', headers: { "content-type": "application/json" } });
    expect(answer.status, answer.text).toBe(202);
    const delivery = await waitForDelivery(app.url, onlyDelivery(answer), ["failed", "dead", "succeeded"]);
    expect(delivery.status).toBe("failed");
    expect(delivery.lastError).toContain("X_Token");
    expect(delivery.lastError).toContain("letters, digits and -");
    expect(hitsOn("/transform-header")).toBe(0);
  });
});
