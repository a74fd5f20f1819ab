// The alert webhook's URL path is a credential (Slack and Discord keep their secret there): it is
// sealed, shown to everyone as origin + "/***", kept when "/***" comes back for the same host,
// and never reaches a viewer through the alerts log.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, waitFor } from "../../support/api";
import { createCallback, httpDestination } from "../../support/fixtures";
import { useApp } from "../../support/harness";
import { callAs, signInNewViewer, type Session } from "../../support/sessions";
import { startSink, type Sink } from "../../support/sink";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { loadAlertReceiver } from "@/lib/alerts/alert-receiver";

const app = useApp();
const secretPath = `services/T0001/B0002/${randomUUID().replaceAll("-", "")}`;
let sink: Sink;
let viewer: Session;

interface SettingsView {
  target: string;
  config: { url: string };
}

/** The alert as a viewer's alerts log lists it once it succeeded, with the whole answer's text. */
function alertSeenByViewer(alertId: string | null): Promise<{ found: { id: string; status: string; target: string | null }; text: string }> {
  return waitFor(
    async () => {
      const list = await callAs<{ items: Array<{ id: string; status: string; target: string | null }> }>(app.url, viewer, "GET", "/api/alerts?limit=200");
      const found = list.body.items.find((entry) => entry.id === alertId);
      return found?.status === "succeeded" ? { found, text: list.text } : undefined;
    },
    { what: "the alert recorded as succeeded" },
  );
}

beforeAll(async () => {
  sink = await startSink();
  viewer = await signInNewViewer(app.url);
});
afterAll(async () => {
  await call(app.url, "DELETE", "/api/settings/alerts");
  await sink.close();
});

describe("the alert webhook's URL path", () => {
  it("is sealed, shown as origin/*** to admins, refused to viewers, and kept when sent back for the same host", async () => {
    const saved = await call<SettingsView>(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: { url: `${sink.url}/${secretPath}` } } });
    expect(saved.status).toBe(200);
    expect(saved.body.config.url).toBe(`${sink.url}/***`);
    expect(saved.text).not.toContain(secretPath);
    const read = await call<SettingsView>(app.url, "GET", "/api/settings/alerts");
    expect(read.body.config.url).toBe(`${sink.url}/***`);
    expect(read.body.target).toBe(`POST ${sink.url}/***`);
    const row = await app.db.selectFrom("settings").selectAll().where("name", "=", "alerts").executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secretPath);
    const asViewer = await callAs(app.url, viewer, "GET", "/api/settings/alerts");
    expect(asViewer.status).toBe(403);
    expect(asViewer.text).not.toContain(secretPath);
    // The mask sent back keeps the stored path: alerts still go to the full URL.
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: read.body.config } })).status).toBe(200);
    const receiver = await loadAlertReceiver(app.db);
    expect(receiver.status === "ready" && receiver.receiver.config.url).toBe(`${sink.url}/${secretPath}`);
  });

  it("refuses /*** for another host, so a stored path cannot be sent elsewhere", async () => {
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: { url: `${sink.url}/${secretPath}` } } })).status).toBe(200);
    const moved = await call<{ error: { code: string; field?: string } }>(app.url, "PUT", "/api/settings/alerts", {
      body: { retries: 0, config: { url: "https://attacker.example/***" } },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.error.field).toBe("config.url");
    const receiver = await loadAlertReceiver(app.db);
    expect(receiver.status === "ready" && receiver.receiver.config.url).toBe(`${sink.url}/${secretPath}`);
  });

  it("never reaches a viewer through the alerts log, while the alert itself goes to the full URL", async () => {
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: { url: `${sink.url}/${secretPath}` } } })).status).toBe(200);
    const callback = await createCallback(app.url, { name: `viewer-alerts-${randomUUID().slice(0, 6)}`, destinations: [httpDestination(`${sink.url}/dest`)] });
    const destinationId = callback.destinations[0]?.id ?? "";
    const alertId = await raiseAlert(app.db, { type: "destination.disabled", callbackId: callback.id, destinationId, reason: "test alert", consecutiveFailures: 5 });
    expect(alertId).not.toBeNull();
    await waitFor(async () => sink.requests.find((request) => request.path === `/${secretPath}`), { what: "the alert at the full URL" });
    const item = await alertSeenByViewer(alertId);
    expect(item.found.target).toBe(`POST ${sink.url}/***`);
    expect(item.text).not.toContain(secretPath);
  });

  it("a path before a query is masked in the alerts log too: the record is rendered from the masked URL, not cleaned up after", async () => {
    const pathPart = `hooks/${randomUUID().replaceAll("-", "")}`;
    const tokenPart = randomUUID().replaceAll("-", "");
    expect((await call(app.url, "PUT", "/api/settings/alerts", { body: { retries: 0, config: { url: `${sink.url}/${pathPart}?token=${tokenPart}` } } })).status).toBe(200);
    const callback = await createCallback(app.url, { name: `viewer-alerts-${randomUUID().slice(0, 6)}`, destinations: [httpDestination(`${sink.url}/dest`)] });
    const alertId = await raiseAlert(app.db, {
      type: "destination.disabled",
      callbackId: callback.id,
      destinationId: callback.destinations[0]?.id ?? "",
      reason: "test alert",
      consecutiveFailures: 5,
    });
    await waitFor(async () => sink.requests.find((request) => request.path === `/${pathPart}?token=${tokenPart}`), { what: "the alert at the full URL" });
    const item = await alertSeenByViewer(alertId);
    expect(item.found.target).toBe(`POST ${sink.url}/***`);
    for (const part of [pathPart, tokenPart]) expect(item.text).not.toContain(part);
  });
});
