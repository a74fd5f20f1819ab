// Issue #15 in the operator UI, in a real browser against the built `next start`: the delivery
// log's filter form fits its card at common widths, attempts show JSON payloads pretty-printed
// (text stays text), the log's search box takes the filter language, the destination form edits
// a filter (with Test filter) and a transform (with Preview), and an event's delivery page lists
// the destinations its filter left out. The tests run in order on one callback.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NextServer } from "@/scripts/lib/next-server";
import { call } from "../../support/api";
import type { TestBrowser } from "../../support/browser";
import { createCallback, waitForDelivery } from "../../support/fixtures";
import { cancelPendingJobs } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { openSignedInUi, screenshot } from "../../support/ui-pages";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const run = randomUUID().slice(0, 8);

let server: NextServer;
let sink: Sink;
let browser: TestBrowser;
let page: Page;
let callbackId = "";
let destinationId = "";
let refundsId = "";
let createdEventId = "";
let pageErrors: string[] = [];

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openSignedInUi());
  // JSON for /json, plain text for everything else: the attempt view shows both.
  sink = await startSink({
    respond: (request, response) => {
      const json = request.path.startsWith("/json");
      response.writeHead(200, { "content-type": json ? "application/json" : "text/plain" });
      response.end(json ? JSON.stringify({ received: true, note: 'a "quoted" word' }) : "plain ok, not JSON");
    },
  });
  const callback = await createCallback(server.url, {
    name: `UI filters ${run} with a rather long callback name`,
    retries: 0,
    destinations: [{ kind: "http", name: "orders sink", config: { url: `${sink.url}/json` } }],
  });
  callbackId = callback.id;
  destinationId = callback.destinations[0]?.id ?? "";
}, 420_000);

afterAll(async () => {
  await cancelPendingJobs();
  if (server && callbackId) await call(server.url, "DELETE", `/api/callbacks/${callbackId}`);
  await browser?.close();
  await sink?.close();
  await server?.close();
});

/** Fires the callback's test trigger with `body` and waits for its delivery to end. */
async function deliver(body: unknown, destinationIds = [destinationId]) {
  const fired = await call<{ deliveries: Array<{ id: string }> }>(server.url, "POST", `/api/callbacks/${callbackId}/test`, { body: { destinationIds, body } });
  expect(fired.status, fired.text).toBe(202);
  return waitForDelivery(server.url, fired.body.deliveries[0]?.id ?? "", ["succeeded", "failed", "dead"]);
}

/** The delivery ids the log's rows link to. */
async function rowIds(): Promise<string[]> {
  const links = await page.locator("table.log tbody tr a.row-link").evaluateAll((elements) => elements.map((element) => element.getAttribute("href") ?? ""));
  return links.map((href) => href.split("/").pop() ?? "");
}

const card = (name: string) => page.getByRole("article", { name: `Destination ${name}` });

async function editForm(name: string) {
  await page.goto(`${server.url}/callbacks/${callbackId}`);
  await card(name).getByRole("button", { name: "Edit" }).click();
  return card(name).getByRole("form", { name: "Edit destination" });
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

describe("the delivery log's filter form", () => {
  for (const width of [1400, 1280, 1024]) {
    it(`stays inside its card at ${width} px, every field and button within the form`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.url}/deliveries?from=2026-12-01T00:00&to=2026-12-31T23:59`);
      const card = page.getByRole("region", { name: "Filters" });
      const form = card.getByRole("form", { name: "Filters" });
      const cardBox = await card.boundingBox();
      const formBox = await form.boundingBox();
      expect(cardBox && formBox && inside(formBox, cardBox), `form ${JSON.stringify(formBox)} in card ${JSON.stringify(cardBox)}`).toBe(true);
      const controls = form.locator("input:not([type=hidden]), select, textarea, button, a");
      expect(await controls.count()).toBeGreaterThanOrEqual(9);
      for (const control of await controls.all()) {
        const box = await control.boundingBox();
        const name = await control.evaluate((element) => element.getAttribute("name") ?? element.textContent);
        expect(box && formBox && inside(box, formBox), `${name} ${JSON.stringify(box)} in form ${JSON.stringify(formBox)}`).toBe(true);
      }
      // Nothing scrolls sideways inside the card or on the page.
      expect(await card.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await screenshot(page, `deliveries-filters-${width}`);
    });
  }
});

describe("the attempt view", () => {
  it("pretty-prints a JSON request body and JSON response body, and shows a text response as text", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const delivery = await deliver({ order: { id: `o-${run}`, note: 'say "hi"' } });
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    await page.goto(`${server.url}/deliveries/${delivery.id}`);
    const attempt = page.locator(".timeline li").first();
    const sentBody = attempt.getByTestId("request-body");
    // The envelope's JSON, indented, with its quotes as quotes (not \" inside one long string).
    const sent = await sentBody.innerText();
    expect(sent).toContain(`"id": "o-${run}"`);
    expect(sent).toContain('"note": "say \\"hi\\""');
    expect(sent).toMatch(/\n {2,}"request": \{/);
    expect(sent).not.toContain('\\"order\\"');
    expect(await attempt.getByTestId("request-body-kind").innerText()).toMatch(/JSON/);
    const received = await attempt.getByTestId("response-body").innerText();
    expect(received).toContain('"received": true');
    expect(received).toContain('"note": "a \\"quoted\\" word"');
    // The rest of the request stays as it was recorded, without the body repeated as a string.
    const meta = await attempt.getByTestId("request-meta").innerText();
    expect(meta).toContain(`"url": "${sink.url}/json"`);
    expect(meta).not.toContain(`o-${run}`);
    await screenshot(page, "attempt-json");
  });

  it("shows a text response body as the text it was", async () => {
    const patched = await call(server.url, "PATCH", `/api/destinations/${destinationId}`, { body: { config: { url: `${sink.url}/text` } } });
    expect(patched.status, patched.text).toBe(200);
    const delivery = await deliver("just words");
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    await page.goto(`${server.url}/deliveries/${delivery.id}`);
    const attempt = page.locator(".timeline li").first();
    expect(await attempt.getByTestId("response-body").innerText()).toBe("plain ok, not JSON");
    expect(await attempt.getByTestId("response-body-kind").innerText()).toMatch(/text/);
    await call(server.url, "PATCH", `/api/destinations/${destinationId}`, { body: { config: { url: `${sink.url}/json` } } });
  });
});

describe("the attempt view of a broker message", () => {
  it("pretty-prints an MQTT payload that is JSON under its own heading", async () => {
    const created = await call<{ id: string }>(server.url, "POST", `/api/callbacks/${callbackId}/destinations`, {
      body: { kind: "mqtt", name: "device", config: { url: "mqtt://127.0.0.1:1883", topic: `switchyard/ui-filters/${run}`, qos: 1 } },
    });
    expect(created.status, created.text).toBe(201);
    const delivery = await deliver({ sensor: { id: `s-${run}`, celsius: 21.5 } }, [created.body.id]);
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    await page.goto(`${server.url}/deliveries/${delivery.id}`);
    const attempt = page.locator(".timeline li").first();
    expect(await attempt.locator(".payload-head").first().innerText()).toMatch(/^Payload\s+JSON/);
    const payload = await attempt.getByTestId("request-body").innerText();
    expect(payload).toMatch(/\n {6}"sensor": \{\n {8}"id": "s-/);
    expect(payload).toContain('"celsius": 21.5');
    expect(await attempt.getByTestId("request-meta").innerText()).toContain(`"topic": "switchyard/ui-filters/${run}"`);
    // Later tests fire every destination of the callback: this one is done.
    expect((await call(server.url, "DELETE", `/api/destinations/${created.body.id}`)).status).toBe(204);
  });
});

describe("the log's search box", () => {
  const search = () => page.getByLabel("Search (filter language, JSON)");

  it("narrows the log to the deliveries whose captured request the filter matches, combined with the other filters", async () => {
    const created = await deliver({ type: "order.created", amount: 150 });
    const updated = await deliver({ type: "order.updated", amount: 150 });
    createdEventId = created.eventId;
    await page.goto(`${server.url}/deliveries?callbackId=${callbackId}`);
    expect(await rowIds()).toEqual(expect.arrayContaining([created.id, updated.id]));

    await search().fill('{"body": {"type": "order.created"}}');
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/[?&]filter=/);
    expect(await rowIds()).toEqual([created.id]);
    expect(await search().inputValue()).toBe('{"body": {"type": "order.created"}}');
    expect(await page.getByTestId("search-report").innerText()).toMatch(/^Searched deliveries from \d{4}-\d{2}-\d{2} .* to now · \d+ examined$/);
    // Combined with the other filters: no HTTP delivery of this callback failed.
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=failed/);
    expect(await rowIds()).toEqual([]);
    expect(new URL(page.url()).searchParams.get("filter")).toBe('{"body": {"type": "order.created"}}');
    await screenshot(page, "deliveries-search");
  });

  it("shows the API's 422 message under the box for a malformed filter, naming the path inside it", async () => {
    const bad = '{"body": {"amount": {"numeric": ["~", 1]}}}';
    const api = await call<{ error: { message: string } }>(server.url, "GET", `/api/deliveries?filter=${encodeURIComponent(bad)}`);
    expect(api.status).toBe(422);
    expect(api.body.error.message).toMatch(/^filter\.body\.amount\.numeric: /);
    await page.goto(`${server.url}/deliveries?callbackId=${callbackId}`);
    await search().fill(bad);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/[?&]filter=/);
    const message = page.locator(".field.search").getByRole("alert");
    expect(await message.innerText()).toBe(api.body.error.message);
    expect(await search().getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("table.log").count()).toBe(0);

    await search().fill("{body");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => message.innerText()).toMatch(/^filter: is not JSON/);
  });
});

describe("the destination form's filter editor", () => {
  it("shows the API's 422 under the filter, then saves the filter, which the card sums up", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Add destination" }).click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Name", { exact: true }).fill("refunds only");
    await form.getByLabel("URL", { exact: true }).fill(`${sink.url}/refunds`);
    const filter = form.getByLabel("Filter (JSON)");
    await filter.fill('{"body": {"amount": {"numeric": ["~", 1]}}}');
    await form.getByRole("button", { name: "Add destination" }).click();
    const error = form.locator(".routing").first().getByRole("alert");
    await expect.poll(() => error.innerText()).toMatch(/^filter\.body\.amount\.numeric: numeric takes pairs/);
    expect(await filter.getAttribute("aria-invalid")).toBe("true");

    await filter.fill('{"body": {"type": ["refund.created"]}}');
    await form.getByRole("button", { name: "Add destination" }).click();
    await card("refunds only").waitFor();
    const stored = await call<{ destinations: Array<{ id: string; name: string; filter: unknown }> }>(server.url, "GET", `/api/callbacks/${callbackId}`);
    const refunds = stored.body.destinations.find((item) => item.name === "refunds only");
    expect(refunds?.filter).toEqual({ body: { type: ["refund.created"] } });
    refundsId = refunds?.id ?? "";
    expect(await card("refunds only").getByTestId("routing-summary").innerText()).toBe('Filter {"body":{"type":["refund.created"]}}');
  });

  it("tests the filter as edited, unsaved, against a sample and a stored event: matched, or not with the reason", async () => {
    const form = await editForm("refunds only");
    const filter = form.getByLabel("Filter (JSON)");
    expect(await filter.inputValue()).toBe(JSON.stringify({ body: { type: ["refund.created"] } }, null, 2));
    await form.getByRole("button", { name: "Test filter" }).click();
    const test = form.getByRole("group", { name: "Filter test" });
    const result = test.getByTestId("filter-test-result");
    const runTest = async () => {
      await test.getByRole("button", { name: "Run filter test" }).click();
      await expect.poll(() => test.getByRole("button", { name: "Run filter test" }).isEnabled()).toBe(true);
      await result.waitFor();
      return result.innerText();
    };
    // The default sample is an order.created request.
    const refused = await runTest();
    expect(refused).toMatch(/^not matched/);
    expect(refused).toContain('body.type: "order.created" is not one of ["refund.created"]');

    await test.getByLabel(/^Sample request/).fill(JSON.stringify({ method: "POST", path: "/", body: { type: "refund.created" } }));
    expect(await runTest()).toMatch(/^matched\s+This request would be delivered here/);

    // The editor's text, not the stored filter, is what runs.
    await filter.fill('{"body": {"type": [{"prefix": "order."}]}}');
    expect(await runTest()).toMatch(/^not matched/);
    await test.getByLabel("a stored event").check();
    await test.getByLabel("Event ID").fill(createdEventId);
    expect(await runTest()).toMatch(/^matched/);
    await test.getByLabel("Event ID").fill("0190aaaa-0000-7000-8000-000000000000");
    expect(await runTest()).toMatch(/not found/i);
    await screenshot(page, "filter-test");

    await form.getByRole("button", { name: "Cancel" }).click();
    const stored = await call<{ filter: unknown }>(server.url, "GET", `/api/destinations/${refundsId}`);
    expect(stored.body.filter).toEqual({ body: { type: ["refund.created"] } });
  });

  it("lists the destination a filter left out on the event's delivery page", async () => {
    const fired = await call<{ deliveries: Array<{ id: string; destinationId: string }>; filtered: string[] }>(server.url, "POST", `/api/callbacks/${callbackId}/test`, {
      body: { body: { type: "order.created", amount: 3 } },
    });
    expect(fired.status, fired.text).toBe(202);
    expect(fired.body.filtered).toEqual([refundsId]);
    expect(fired.body.deliveries.map((item) => item.destinationId)).toEqual([destinationId]);
    const delivery = await waitForDelivery(server.url, fired.body.deliveries[0]?.id ?? "", ["succeeded", "failed", "dead"]);
    await page.goto(`${server.url}/deliveries/${delivery.id}`);
    const region = page.getByRole("region", { name: "This event's destinations" });
    expect(await region.getByTestId("filtered-destination").innerText()).toMatch(/^filtered out refunds only\s+its filter did not match this event/);
    expect(await region.locator("li").first().innerText()).toMatch(/succeeded orders sink\s+http\s+this delivery/);
    await screenshot(page, "delivery-filtered-destinations");
  });
});

describe("the destination form's transform editor", () => {
  const transformSource = [
    "function transform(event) {",
    '  if (event.body.type === "ping") return null;',
    '  if (event.body.type === "boom") throw new Error("cannot shape " + event.body.type);',
    '  return { headers: { "x-kind": event.body.type }, body: { kind: event.body.type, total: event.body.amount * 2 } };',
    "}",
  ].join("\n");

  it("shows a syntax error under the transform, naming its line", async () => {
    const form = await editForm("orders sink");
    await form.getByLabel("Transform (JavaScript)").fill("function transform(event) {\n  return { body: event.body.type;\n}");
    await form.getByRole("button", { name: "Save destination" }).click();
    const error = form.locator(".routing").nth(1).getByRole("alert");
    await expect.poll(() => error.innerText()).toMatch(/^transform: .*line 2/);
    expect(await form.getByLabel("Transform (JavaScript)").getAttribute("aria-invalid")).toBe("true");
  });

  it("previews the transform as edited for a sample: its message, its null as a skip, its throw with the line, unsaved text too; a delivery then sends the saved one", async () => {
    let form = await editForm("orders sink");
    await form.getByLabel("Transform (JavaScript)").fill(transformSource);
    await form.getByRole("button", { name: "Save destination" }).click();
    await expect.poll(() => form.count()).toBe(0);
    expect(await card("orders sink").getByTestId("routing-summary").innerText()).toBe("Transform (5 lines)");

    form = await editForm("orders sink");
    expect(await form.getByLabel("Transform (JavaScript)").inputValue()).toBe(transformSource);
    await form.getByRole("button", { name: "Preview transform" }).click();
    const preview = form.getByRole("group", { name: "Transform preview" });
    const outcome = preview.getByTestId("transform-preview");
    const runPreview = async (body: unknown) => {
      await preview.getByLabel(/^Sample request/).fill(JSON.stringify({ method: "POST", path: "/orders", body }));
      await preview.getByRole("button", { name: "Run preview" }).click();
      await expect.poll(() => preview.getByRole("button", { name: "Run preview" }).isEnabled()).toBe(true);
      await outcome.waitFor();
      return outcome.innerText();
    };
    const shaped = await runPreview({ type: "order.created", amount: 120 });
    expect(shaped).toContain('"x-kind": "order.created"');
    expect(await preview.getByTestId("transform-preview-body").innerText()).toBe('{\n  "kind": "order.created",\n  "total": 240\n}');
    expect(await runPreview({ type: "ping" })).toMatch(/^skipped\s+The transform returned null/);
    const failed = await runPreview({ type: "boom" });
    expect(failed).toMatch(/cannot shape boom/);
    expect(failed).toMatch(/line 3/);
    // The text as edited, not yet saved, is what the preview runs; Cancel then keeps the stored one.
    await form.getByLabel("Transform (JavaScript)").fill("function transform(event) {\n  return { body: { unsaved: event.body.type } };\n}");
    await runPreview({ type: "draft" });
    expect(await preview.getByTestId("transform-preview-body").innerText()).toBe('{\n  "unsaved": "draft"\n}');
    await screenshot(page, "transform-preview");
    await form.getByRole("button", { name: "Cancel" }).click();

    const delivery = await deliver({ type: "order.paid", amount: 21 });
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    expect(JSON.parse(sink.requests.at(-1)?.body ?? "null")).toEqual({ kind: "order.paid", total: 42 });
    await page.goto(`${server.url}/deliveries/${delivery.id}`);
    expect(await page.locator(".timeline li").first().getByTestId("request-body").innerText()).toBe('{\n  "kind": "order.paid",\n  "total": 42\n}');
  });
});

describe("the pages above", () => {
  it("rendered and hydrated without an error in the browser", () => {
    expect(pageErrors).toEqual([]);
  });
});
