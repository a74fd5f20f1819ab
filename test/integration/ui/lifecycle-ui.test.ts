// The lifecycle features in a real browser against the built `next start` (the same build as
// operator-ui.test.ts): the alert webhook form, a destination disabled by the circuit breaker and
// re-enabled, bulk replay of a dead delivery, the alerts log, and what a viewer does not get.
// The tests run in order: the breaker and the dead delivery raise the alerts the log shows.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import type { TestBrowser } from "../../support/browser";
import { createCallback, getDelivery, listDeliveries, waitForDelivery } from "../../support/fixtures";
import { cancelPendingJobs } from "../../support/harness";
import type { NextServer } from "@/scripts/lib/next-server";
import { testAdminToken } from "../../support/ports";
import { logIn } from "../../support/sessions";
import { startSink, type Sink } from "../../support/sink";
import { openUi, screenshot, signInAs, type OperatorUi } from "../../support/ui-pages";

const alertToken = `alert-bearer-${randomUUID()}`;
const viewerPassword = "viewer password 456";
const breakerReason = "circuit breaker: 1 consecutive failures";

let server: NextServer;
let sink: Sink;
let rejecting: Sink;
let alertSink: Sink;
let browser: TestBrowser;
let page: Page;
let callbackId = "";
let deadLetterId = "";
let flakyId = "";
let reactErrors: string[] = [];

beforeAll(async () => {
  let ui: OperatorUi;
  [ui, sink, rejecting, alertSink] = await Promise.all([openUi({ reactConsole: true }), startSink(), startSink(), startSink()]);
  // Uncaught errors and React's own (a hydration mismatch is logged, then silently re-rendered).
  ({ server, browser, page, pageErrors: reactErrors } = ui);
  rejecting.defaultStatus = 400;
  const callback = await createCallback(server.url, {
    name: "UI lifecycle",
    retries: 0,
    destinations: [{ kind: "http", name: "dead-letter", config: { url: `${sink.url}/dead-letter` } }],
  });
  callbackId = callback.id;
  deadLetterId = callback.destinations[0]?.id ?? "";
}, 420_000);

afterAll(async () => {
  // Alerts stay off for the files that run after this one, and no job of this file (the last
  // alert) is left queued for them.
  if (server) await call(server.url, "DELETE", "/api/settings/alerts");
  await cancelPendingJobs();
  await browser?.close();
  await Promise.all([sink?.close(), rejecting?.close(), alertSink?.close()]);
  await server?.close();
});

const card = (name: string) => page.getByRole("article", { name: `Destination ${name}` });

async function pageHtml(path: string, cookie: string): Promise<string> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
  expect(response.status, path).toBe(200);
  return response.text();
}

describe("an admin", () => {
  it("saves the alert webhook; its bearer token comes back masked and is kept when saved again", async () => {
    await signInAs(page, server.url, "admin", testAdminToken);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${server.url}/settings/alerts`);
    await expect.poll(() => page.locator("main").innerText()).toContain("No alert webhook is configured");
    expect(await page.locator("main").innerText()).toMatch(/kept for 30 days/);

    const form = page.getByRole("form", { name: "Alert webhook" });
    await form.getByLabel("URL", { exact: true }).fill(`${alertSink.url}/alerts`);
    await form.getByLabel("Auth type").selectOption("bearer");
    await form.getByLabel("Token", { exact: true }).fill(alertToken);
    await form.getByLabel("Retries (QStash)").fill("1");
    await form.getByRole("button", { name: "Save alert webhook" }).click();
    await form.getByText("Saved.").waitFor();
    expect(await form.getByLabel("Token", { exact: true }).inputValue()).toBe("***");

    await page.reload();
    await expect.poll(() => page.locator("main h1").innerText()).toMatch(/on$/);
    // The webhook's path is a credential (Slack and Discord keep theirs there): shown masked.
    expect(await page.locator("main").innerText()).toContain(`POST ${alertSink.url}/***`);
    expect(await form.getByLabel("Token", { exact: true }).inputValue()).toBe("***");
    await form.getByRole("button", { name: "Save alert webhook" }).click();
    await form.getByText("Saved.").waitFor();
    const stored = await call<{ retries: number; config: { auth: { token: string } } }>(server.url, "GET", "/api/settings/alerts");
    expect(stored.body).toMatchObject({ retries: 1, config: { auth: { token: "***" } } });
    await screenshot(page, "alert-settings");
  }, 30_000);

  it("sees a destination tripped by the circuit breaker, with its reason, and enables it again", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Add destination" }).click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Name", { exact: true }).fill("flaky");
    await form.getByLabel("URL", { exact: true }).fill(`${rejecting.url}/flaky`);
    const threshold = form.getByLabel("Failure threshold (circuit breaker)");
    expect(await threshold.inputValue()).toBe("20");
    expect(await form.getByText(/Leave empty to never disable it/).isVisible()).toBe(true);
    await threshold.fill("1");
    await form.getByRole("button", { name: "Add destination" }).click();
    await card("flaky").waitFor();
    expect(await card("flaky").getByTestId("breaker-count").innerText()).toBe("Circuit breaker: 0 of 1 failures in a row");

    // A 400 is a permanent failure: one failed delivery trips a threshold of 1.
    await card("flaky").getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => card("flaky").innerText(), { timeout: 15_000 }).toContain(breakerReason);
    await card("flaky").getByRole("button", { name: "Enable" }).waitFor();
    expect(await card("flaky").locator(".badge").first().innerText()).toBe("disabled");
    await screenshot(page, "destination-disabled");
    flakyId =
      (await call<{ destinations: Array<{ id: string; name: string }> }>(server.url, "GET", `/api/callbacks/${callbackId}`)).body.destinations.find((item) => item.name === "flaky")?.id ??
      "";

    await page.goto(`${server.url}/`);
    // The overview lists every callback's failing destinations: other test files' are there too.
    const row = page.getByTestId("failing-destination").filter({ hasText: "flaky" }).filter({ hasText: "UI lifecycle" });
    await expect.poll(() => row.innerText()).toContain(breakerReason);
    expect(await row.innerText()).toContain("disabled");
    await screenshot(page, "overview-disabled");

    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await card("flaky").getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => card("flaky").getByTestId("breaker-count").innerText()).toBe("Circuit breaker: 0 of 1 failures in a row");
    expect(await card("flaky").getByRole("button", { name: "Enable" }).count()).toBe(0);
    expect((await call<{ enabled: boolean }>(server.url, "GET", `/api/destinations/${flakyId}`)).body.enabled).toBe(true);
  }, 30_000);

  it("replays a dead delivery with the bulk replay form and links to the destination's log", async () => {
    sink.script([503]);
    const fired = await call<{ deliveries: Array<{ id: string }> }>(server.url, "POST", `/api/callbacks/${callbackId}/test`, { body: { destinationIds: [deadLetterId] } });
    const deadId = fired.body.deliveries[0]?.id ?? "";
    expect((await waitForDelivery(server.url, deadId, ["dead", "failed", "succeeded"])).status).toBe("dead");

    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await card("dead-letter").getByRole("button", { name: "Replay dead/failed…" }).click();
    const form = card("dead-letter").getByRole("form", { name: "Replay dead/failed deliveries" });
    expect(await form.getByLabel("Status").inputValue()).toBe("dead");
    expect(await form.getByLabel("Created").inputValue()).toBe("24h");
    await form.getByRole("button", { name: "Replay", exact: true }).click();
    const result = form.getByTestId("replay-result");
    await expect.poll(() => result.innerText()).toMatch(/^Replayed 1, skipped 0\./);

    const replay = await waitFor(async () => (await listDeliveries(server.url, `destinationId=${deadLetterId}`)).find((item) => item.replayOf === deadId && item.status === "succeeded"), {
      timeoutMs: 15_000,
      what: "the replay to succeed",
    });
    expect((await getDelivery(server.url, replay.id)).eventId).toBe((await getDelivery(server.url, deadId)).eventId);
    await result.getByRole("link").click();
    await page.waitForURL(`${server.url}/deliveries?destinationId=${deadLetterId}`);
    await expect.poll(() => page.locator("table.log tbody").innerText()).toContain("replay");
  }, 30_000);

  it("reads the alerts the breaker and the dead delivery raised, sent with the kept bearer token", async () => {
    await waitFor(
      async () => {
        const list = await call<{ items: Array<{ type: string; status: string; destinationId: string }> }>(server.url, "GET", "/api/alerts");
        const done = (type: string, destinationId: string) => list.body.items.some((item) => item.type === type && item.destinationId === destinationId && item.status === "succeeded");
        return done("destination.disabled", flakyId) && done("delivery.dead", deadLetterId);
      },
      { timeoutMs: 15_000, intervalMs: 200, what: "both alerts to be delivered" },
    );
    const received = alertSink.requests.filter((request) => request.path === "/alerts");
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.every((request) => request.headers.authorization === `Bearer ${alertToken}`)).toBe(true);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await page.waitForURL(`${server.url}/alerts`);
    const disabled = page.locator("table.alerts tbody tr").filter({ hasText: "destination.disabled" }).filter({ hasText: "flaky" });
    await expect.poll(() => disabled.innerText()).toContain(breakerReason);
    expect(await disabled.innerText()).toContain("succeeded");
    expect(await page.locator("table.alerts tbody tr").filter({ hasText: "delivery.dead" }).filter({ hasText: "dead-letter" }).count()).toBeGreaterThan(0);
    await screenshot(page, "alerts");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "alerts-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    const login = await logIn(server.url, "admin", testAdminToken);
    for (const path of ["/settings/alerts", "/alerts"]) expect((await pageHtml(path, login.session?.cookie ?? "")).includes(alertToken), path).toBe(false);
  }, 30_000);
});

describe("a viewer", () => {
  it("sees the breaker state, the alerts log and a notice instead of the webhook, and none of the edit controls", async () => {
    const fired = await call<{ deliveries: Array<{ id: string }> }>(server.url, "POST", `/api/callbacks/${callbackId}/test`, { body: { destinationIds: [flakyId] } });
    await waitForDelivery(server.url, fired.body.deliveries[0]?.id ?? "", ["failed"]);
    const username = `viewer-${Date.now()}`;
    expect((await call(server.url, "POST", "/api/operators", { body: { username, password: viewerPassword, role: "viewer" } })).status).toBe(201);
    await signInAs(page, server.url, username, viewerPassword);

    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await expect.poll(() => card("flaky").innerText()).toContain(breakerReason);
    for (const name of ["Enable", "Replay dead/failed…", "Send test"]) expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);

    await page.goto(`${server.url}/settings/alerts`);
    await expect.poll(() => page.locator("main").innerText()).toContain("Only admins can see and change the alert webhook");
    expect(await page.locator("main form").count()).toBe(0);
    expect(await page.locator("main").innerText()).toContain("kept for 30 days");
    await screenshot(page, "alert-settings-viewer");

    await page.goto(`${server.url}/alerts`);
    await page.locator("table.alerts tbody tr").first().waitFor();
    expect(await page.getByRole("link", { name: "Alert webhook settings" }).count()).toBe(0);

    const forced = await page.evaluate(async (id) => {
      const enable = await fetch(`/api/destinations/${id}/enable`, { method: "POST" });
      const settings = await fetch("/api/settings/alerts");
      return [enable.status, settings.status];
    }, flakyId);
    expect(forced).toEqual([403, 403]);
    await page.context().clearCookies();
  }, 30_000);
});

describe("the pages above", () => {
  it("rendered and hydrated without a React error in the browser", () => {
    expect(reactErrors).toEqual([]);
  });
});
