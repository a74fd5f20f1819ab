// Templates are checked when a destination is saved (422 naming field and variable) and fail
// permanently, without retries, when they cannot render at delivery time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expect422 } from "../../support/api";
import { createCallback, httpDestination, waitForDelivery } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger, onlyDelivery } from "../../support/trigger";

const app = useApp();
let sink: Sink;
const existingSecret = `CHECK_SECRET_${process.pid}`;

beforeAll(async () => {
  sink = await startSink();
  expect((await call(app.url, "POST", "/api/secrets", { body: { name: existingSecret, value: "exists-123456" } })).status).toBe(201);
});
afterAll(async () => {
  await sink.close();
});

describe("save-time template checks", () => {
  let callbackId = "";
  beforeAll(async () => {
    callbackId = (await createCallback(app.url, { name: "checks", variables: { region: "eu" } })).id;
  });

  const addDestination = (config: Record<string, unknown>) => call(app.url, "POST", `/api/callbacks/${callbackId}/destinations`, { body: httpDestination(sink.url, config) });

  it.each([
    ["an unknown variable", { headers: { "X-Sig": "{signature}" } }, "config.headers.X-Sig", /unknown variable \{signature\}/],
    ["an env variable outside TRIGGER_VAR_", { headers: { "X-Db": "{env:DATABASE_URL}" } }, "config.headers.X-Db", /\{env:DATABASE_URL\} is not allowed.*TRIGGER_VAR_/],
    ["a secret that does not exist", { body: '{"k":"{secret:NO_SUCH_SECRET}"}' }, "config.body", /secret \{secret:NO_SUCH_SECRET\} does not exist/],
    ["a {var.x} the callback does not define", { query: { r: "{var.zone}" } }, "config.query.r", /variable \{var\.zone\} is not defined on this callback/],
    ["a syntax error", { url: `${"http://127.0.0.1:1"}/{body.id` }, "config.url", /unclosed placeholder/],
    ["a template unusable in JSON", { body: '{"a": {body.x} {body.y}}' }, "config.body", /.+/],
    ["a credential naming a missing secret", { auth: { type: "bearer", token: "{secret:MISSING_TOKEN}" } }, "config.auth.token", /secret \{secret:MISSING_TOKEN\} does not exist/],
  ])("refuses %s with 422 naming the field and the variable", async (_label, config, field, message) => {
    expect422(await addDestination(config), field, message);
  });

  it("accepts the same kinds of templates when everything they name exists", async () => {
    const result = await addDestination({
      headers: { "X-Region": "{var.region}", "X-Key": `{secret:${existingSecret}}`, "X-Req": "{header.x-request-id}" },
      query: { id: "{body.order.id}" },
      body: '{"region": "{var.region}", "order": {body.order}}',
    });
    expect(result.status, result.text).toBe(201);
  });

  it("names the field inside the request body when creating a callback with destinations", async () => {
    const result = await call(app.url, "POST", "/api/callbacks", {
      body: { name: "nested", variables: { a: "1" }, destinations: [httpDestination(sink.url), httpDestination(sink.url, { headers: { "X-B": "{var.b}" } })] },
    });
    expect422(result, "destinations.1.config.headers.X-B", /\{var\.b\} is not defined/);
  });

  it("checks {var.…} against the variables given in the same create request", async () => {
    const result = await call(app.url, "POST", "/api/callbacks", {
      body: { name: "vars-in-input", variables: { b: "2" }, destinations: [httpDestination(sink.url, { headers: { "X-B": "{var.b}" } })] },
    });
    expect(result.status, result.text).toBe(201);
  });

  it("checks a PATCH of the destination, too", async () => {
    const created = await addDestination({});
    const id = (created.body as { id: string }).id;
    expect422(await call(app.url, "PATCH", `/api/destinations/${id}`, { body: { config: { headers: { "X-Z": "{var.nope}" } } } }), "config.headers.X-Z", /\{var\.nope\}/);
  });

  it("refuses new callback variables that leave a destination's {var.x} undefined, and accepts a superset", async () => {
    const callback = await createCallback(app.url, {
      name: "var-change",
      variables: { region: "eu", tier: "gold" },
      destinations: [{ ...httpDestination(sink.url, { headers: { "X-Region": "{var.region}" } }), name: "regional" }],
    });
    const refused = await call(app.url, "PATCH", `/api/callbacks/${callback.id}`, { body: { variables: { tier: "gold" } } });
    expect422(refused, "variables", /\{var\.region\} in destination "regional" \(config\.headers\.X-Region\)/);
    const accepted = await call<{ variables: Record<string, string> }>(app.url, "PATCH", `/api/callbacks/${callback.id}`, {
      body: { variables: { region: "us", other: "x" } },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.variables).toEqual({ region: "us", other: "x" });
  });
});

describe("delivery-time render failures", () => {
  it("a secret deleted after save fails the delivery permanently with a clear error and no retry", async () => {
    const name = `DOOMED_${process.pid}`;
    expect((await call(app.url, "POST", "/api/secrets", { body: { name, value: "doomed-value-1234" } })).status).toBe(201);
    const callback = await createCallback(app.url, {
      name: "doomed",
      retries: 3,
      destinations: [httpDestination(`${sink.url}/doomed`, { headers: { "X-Key": `{secret:${name}}` } })],
    });
    expect((await call(app.url, "DELETE", `/api/secrets/${name}`)).status).toBe(204);
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "dead", "succeeded"]);
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toBe(`Secret(s) not found: ${name}`);
    expect(sink.requests.some((request) => request.path === "/doomed")).toBe(false);
  });

  it("a TRIGGER_VAR_ variable unset at delivery time fails permanently naming the field and the variable", async () => {
    const callback = await createCallback(app.url, {
      name: "unset-env",
      retries: 3,
      destinations: [httpDestination(`${sink.url}/unset-env`, { headers: { "X-Env": "{env:TRIGGER_VAR_NOT_SET_ANYWHERE}" } })],
    });
    const deliveryId = onlyDelivery(await fireTrigger(callback.triggerUrl, { body: {} }));
    const detail = await waitForDelivery(app.url, deliveryId, ["failed", "dead", "succeeded"]);
    expect(detail.status).toBe("failed");
    expect(detail.attempts).toBe(1);
    expect(detail.lastError).toBe("Content error: Template error in config.headers.X-Env: {env:TRIGGER_VAR_NOT_SET_ANYWHERE}: environment variable TRIGGER_VAR_NOT_SET_ANYWHERE is not set");
    expect(sink.requests.some((request) => request.path === "/unset-env")).toBe(false);
  });
});
