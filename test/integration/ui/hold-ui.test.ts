// Issue #16 in the operator UI, in a real browser against the built `next start`: an admin pauses
// a destination, triggers fired meanwhile are held in QStash and the card's badge counts them,
// Resume releases every one; the destination form edits the retry schedule with a preview that
// follows the typing, shows the API's 422 under the field it names, and offers the ordering key
// only with FIFO; a callback's pause shows in its header and on its destinations; a viewer gets
// no Pause or Resume. The tests run in order on one callback.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NextServer } from "@/scripts/lib/next-server";
import { call, waitFor } from "../../support/api";
import type { TestBrowser } from "../../support/browser";
import { createCallback, listDeliveries } from "../../support/fixtures";
import { cancelPendingJobs } from "../../support/harness";
import { startSink, type Sink } from "../../support/sink";
import { fireTrigger } from "../../support/trigger";
import { openSignedInUi, screenshot, signInAs, type OperatorUi } from "../../support/ui-pages";

const run = randomUUID().slice(0, 8);
const held = 5;

let server: NextServer;
let sink: Sink;
let browser: TestBrowser;
let page: Page;
let callbackId = "";
let destinationId = "";
let triggerUrl = "";
let pageErrors: string[] = [];

beforeAll(async () => {
  let ui: OperatorUi;
  [ui, sink] = await Promise.all([openSignedInUi({ reactConsole: true }), startSink()]);
  ({ server, browser, page, pageErrors } = ui);
  const callback = await createCallback(server.url, {
    name: `UI hold ${run}`,
    retries: 2,
    destinations: [{ kind: "http", name: "held sink", config: { url: `${sink.url}/held` } }],
  });
  callbackId = callback.id;
  destinationId = callback.destinations[0]?.id ?? "";
  triggerUrl = callback.triggerUrl;
}, 420_000);

afterAll(async () => {
  await cancelPendingJobs();
  if (server && callbackId) await call(server.url, "DELETE", `/api/callbacks/${callbackId}`);
  await browser?.close();
  await sink?.close();
  await server?.close();
});

const card = () => page.getByRole("article", { name: "Destination held sink" });
const badgeText = () => card().getByTestId("paused-badge").innerText();

async function editForm() {
  await page.goto(`${server.url}/callbacks/${callbackId}`);
  await card().getByRole("button", { name: "Edit" }).click();
  return card().getByRole("form", { name: "Edit destination" });
}

describe("pausing a destination from its card", () => {
  it("holds the triggers fired meanwhile, counts them on the badge, and Resume releases every one", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await card().getByRole("button", { name: "Pause", exact: true }).click();
    await expect.poll(badgeText, { timeout: 15_000 }).toBe("paused · 0 held");
    expect(await card().getByTestId("hold-status").innerText()).toMatch(/Paused by an operator: triggers are still accepted/);
    expect(await card().getByRole("button", { name: "Pause", exact: true }).count()).toBe(0);

    for (let index = 0; index < held; index += 1) {
      const answer = await fireTrigger(triggerUrl, { body: { n: index, run } });
      expect(answer.status, answer.text).toBe(202);
    }
    // The badge asks QStash again every few seconds while paused.
    await expect.poll(badgeText, { timeout: 20_000, interval: 500 }).toBe(`paused · ${held} held`);
    expect(sink.requests).toHaveLength(0);
    // Held deliveries are queued (or not recorded yet, when the trigger route records them after its 202): none is sent, skipped or failed.
    const listed = await listDeliveries(server.url, `destinationId=${destinationId}`);
    expect(listed.filter((delivery) => delivery.status !== "queued")).toEqual([]);
    await screenshot(page, "destination-paused");

    await card().getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => card().getByTestId("paused-badge").count(), { timeout: 15_000 }).toBe(0);
    await waitFor(async () => sink.requests.length >= held, { timeoutMs: 30_000, what: `${held} held deliveries at the sink` });
    const received = sink.requests.map((request) => (JSON.parse(request.body) as { request: { body: { n: number } } }).request.body.n);
    expect([...received].sort()).toEqual([0, 1, 2, 3, 4]);
    await waitFor(async () => (await listDeliveries(server.url, `destinationId=${destinationId}&status=succeeded`)).length === held, { what: "deliveries succeeded" });
    expect(await card().getByRole("button", { name: "Pause", exact: true }).isVisible()).toBe(true);
  }, 90_000);
});

describe("the destination form's retry schedule", () => {
  it("previews the delays as they are typed, saves them, and shows them again", async () => {
    const form = await editForm();
    const preview = form.getByTestId("retry-preview");
    // The callback's 2 retries with QStash's default backoff (retry.mdx: 12 s, then 2 min 28 s).
    expect(await preview.innerText()).toMatch(/2 retries \(the callback's, QStash's default backoff\): retry 1 after 12 s, retry 2 after 2 min 28 s/);

    await form.getByLabel("Retry schedule").selectOption("fixed");
    await form.getByLabel("Base delay (seconds)").fill("2");
    await expect.poll(() => preview.innerText()).toMatch(/retry 1 after 2 s, retry 2 after 2 s; total ≈ 4 s/);
    expect(await form.getByLabel("Cap (seconds)").count()).toBe(0);

    await form.getByLabel("Retry schedule").selectOption("exponential");
    await form.getByLabel("Cap (seconds)").fill("5");
    await form.getByLabel("Retries", { exact: true }).fill("4");
    await expect.poll(() => preview.innerText()).toMatch(/4 retries \(this destination's\): retry 1 after 2 s, retry 2 after 4 s, retry 3 after 5 s, retry 4 after 5 s; total ≈ 16 s/);
    await screenshot(page, "destination-retry-schedule");

    await form.getByRole("button", { name: "Save destination" }).click();
    await expect.poll(() => card().getByRole("form", { name: "Edit destination" }).count()).toBe(0);
    const stored = await call<{ retries: number | null; retryDelay: unknown }>(server.url, "GET", `/api/destinations/${destinationId}`);
    expect(stored.body).toMatchObject({ retries: 4, retryDelay: { type: "exponential", baseSeconds: 2, capSeconds: 5 } });

    const again = await editForm();
    expect(await again.getByLabel("Retry schedule").inputValue()).toBe("exponential");
    expect(await again.getByLabel("Base delay (seconds)").inputValue()).toBe("2");
    expect(await again.getByTestId("retry-preview").innerText()).toMatch(/retry 4 after 5 s; total ≈ 16 s/);
  }, 60_000);

  it("shows an expression QStash would refuse in the preview, and the API's 422 under the expression", async () => {
    const form = await editForm();
    await form.getByLabel("Retry schedule").selectOption("expression");
    const expression = form.getByLabel("Delay expression (ms)");
    await expression.fill("1000 * (1 + retried)");
    await expect.poll(() => form.getByTestId("retry-preview").innerText()).toMatch(/retry 1 after 1 s, retry 2 after 2 s, retry 3 after 3 s, retry 4 after 4 s; total ≈ 10 s/);
    await expression.fill("1000 * nope(retried)");
    await expect.poll(() => form.getByTestId("retry-preview").innerText()).toMatch(/No preview: retryDelay\.expression: .*nope/);

    await form.getByRole("button", { name: "Save destination" }).click();
    const error = form.locator("[id$='retryDelay-expression-error']");
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.innerText()).toMatch(/nope/);
    expect(await error.getAttribute("role")).toBe("alert");
    // The expression stays as typed; nothing was saved.
    expect(await expression.inputValue()).toBe("1000 * nope(retried)");
    const stored = await call<{ retryDelay: unknown }>(server.url, "GET", `/api/destinations/${destinationId}`);
    expect(stored.body.retryDelay).toEqual({ type: "exponential", baseSeconds: 2, capSeconds: 5 });
  }, 60_000);

  it("offers the ordering key only with FIFO, in place of the rate, its partitions only with a key, and saves them", async () => {
    const form = await editForm();
    expect(await form.getByLabel("Ordering key").count()).toBe(0);
    expect(await form.getByLabel("Rate limit (deliveries per period)").count()).toBe(1);
    await form.getByLabel("Ordering", { exact: true }).selectOption("fifo");
    expect(await form.getByLabel("Key partitions").count()).toBe(0);
    await form.getByLabel("Ordering key").fill("{body.customerId}");
    // Out of range: the API's 422 shows under the partitions field, and nothing is saved.
    await form.getByLabel("Key partitions").fill("33");
    expect(await form.getByLabel("Rate limit (deliveries per period)").count()).toBe(0);
    await form.getByRole("button", { name: "Save destination" }).click();
    const error = form.locator("[id$='orderingPartitions-error']");
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.innerText()).toMatch(/32/);
    await form.getByLabel("Key partitions").fill("8");
    await form.getByLabel("When the circuit breaker trips").selectOption("pause");
    await form.getByRole("button", { name: "Save destination" }).click();
    await expect.poll(() => card().getByRole("form", { name: "Edit destination" }).count()).toBe(0);
    const stored = await call(server.url, "GET", `/api/destinations/${destinationId}`);
    expect(stored.body).toMatchObject({ ordering: "fifo", orderingKey: "{body.customerId}", orderingPartitions: 8, rateLimit: null, breakerAction: "pause" });
    expect(await (await editForm()).getByLabel("Key partitions").inputValue()).toBe("8");
  }, 60_000);
});

describe("pausing the callback", () => {
  it("shows the pause in the header and on its destinations, which resume only with the callback", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Pause callback" }).click();
    const header = page.locator(".page-head h1");
    const headerBadge = () => header.getByTestId("paused-badge").innerText();
    await expect.poll(() => header.getByTestId("paused-badge").count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(headerBadge, { timeout: 15_000 }).toBe("paused · 0 held");
    // The destination is FIFO per customer now: each key's queue is held too, and the header sums them.
    for (const customerId of ["c-1", "c-2"]) expect((await fireTrigger(triggerUrl, { body: { n: customerId, customerId } })).status).toBe(202);
    await expect.poll(headerBadge, { timeout: 20_000, interval: 500 }).toBe("paused · 2 held");
    await expect.poll(badgeText, { timeout: 10_000 }).toBe("paused · 2 held");
    expect(sink.requests).toHaveLength(held);
    expect(await card().getByTestId("hold-status").innerText()).toMatch(/Paused with its callback: .* Resume the callback to release them\./);
    expect(await card().getByRole("button", { name: "Resume" }).count()).toBe(0);
    await screenshot(page, "callback-paused");

    await page.getByRole("button", { name: "Resume callback" }).click();
    await expect.poll(() => header.getByTestId("paused-badge").count(), { timeout: 15_000 }).toBe(0);
    expect(await card().getByTestId("paused-badge").count()).toBe(0);
    await waitFor(async () => sink.requests.length >= held + 2, { timeoutMs: 90_000, what: "the two held deliveries at the sink" });
    expect(sink.requests).toHaveLength(held + 2);
  }, 150_000);
});

describe("a viewer", () => {
  it("sees a pause but gets no Pause or Resume", async () => {
    expect((await call(server.url, "POST", `/api/destinations/${destinationId}/pause`)).status).toBe(200);
    const username = `viewer-hold-${run}`;
    expect((await call(server.url, "POST", "/api/operators", { body: { username, password: "viewer password 16", role: "viewer" } })).status).toBe(201);
    await signInAs(page, server.url, username, "viewer password 16");
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await expect.poll(badgeText, { timeout: 15_000 }).toMatch(/^paused · /);
    for (const name of ["Pause", "Resume", "Pause callback", "Resume callback"]) expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
    expect((await call(server.url, "POST", `/api/destinations/${destinationId}/resume`)).status).toBe(200);
    await page.context().clearCookies();
  }, 30_000);
});

describe("the pages above", () => {
  it("rendered and hydrated without a React error in the browser", () => {
    expect(pageErrors).toEqual([]);
  });
});
