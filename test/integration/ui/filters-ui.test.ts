// Issue #15 in the operator UI, in a real browser against the built `next start`: the delivery
// log's filter form fits its card at common widths, attempts show JSON payloads pretty-printed
// (text stays text), and the log's search box takes the filter language.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNextBuild, startNextServer, type NextServer } from "@/scripts/lib/next-server";
import { call } from "../../support/api";
import { launchBrowser, type TestBrowser } from "../../support/browser";
import { createCallback, waitForDelivery } from "../../support/fixtures";
import { cancelPendingJobs } from "../../support/harness";
import { testAdminToken } from "../../support/ports";
import { startSink, type Sink } from "../../support/sink";
import { screenshot, signInAs } from "../../support/ui-pages";

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
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureNextBuild();
  [server, browser] = await Promise.all([startNextServer(process.env), launchBrowser()]);
  // JSON for /json, plain text for everything else: the attempt view shows both.
  sink = await startSink({
    respond: (request, response) => {
      const json = request.path.startsWith("/json");
      response.writeHead(200, { "content-type": json ? "application/json" : "text/plain" });
      response.end(json ? JSON.stringify({ received: true, note: 'a "quoted" word' }) : "plain ok, not JSON");
    },
  });
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  const callback = await createCallback(server.url, {
    name: `UI filters ${run} with a rather long callback name`,
    retries: 0,
    destinations: [{ kind: "http", name: "orders sink", config: { url: `${sink.url}/json` } }],
  });
  callbackId = callback.id;
  destinationId = callback.destinations[0]?.id ?? "";
  await signInAs(page, server.url, "admin", testAdminToken);
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

describe("the pages above", () => {
  it("rendered and hydrated without an error in the browser", () => {
    expect(pageErrors).toEqual([]);
  });
});
