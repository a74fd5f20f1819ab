// TLS in the operator UI, in a real browser against the built `next start` and the TLS stand's
// Mosquitto: an MQTT destination with a private CA, a client certificate and an encrypted key
// made through the form (delivered over mqtts with a required client certificate), its key kept
// sealed through an unrelated edit, the overview flagging a certificate that expires in 10 days,
// and the insecureSkipVerify warning in the form, on the destination and on a recorded attempt.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { insecureSkipVerifyWarning } from "@/lib/ui/form-specs";
import type { NextServer } from "@/scripts/lib/next-server";
import { call } from "../../support/api";
import type { TestBrowser } from "../../support/browser";
import { createCallback, waitForDelivery, type DeliveryDetail } from "../../support/fixtures";
import { cancelPendingJobs } from "../../support/harness";
import { subscribe, type Subscriber } from "../../support/mqtt-subscriber";
import { tlsMaterial, useTlsMosquitto, type TlsMaterial } from "../../support/tls-stand";
import { openSignedInUi, screenshot, type OperatorUi } from "../../support/ui-pages";
import { closeDb } from "../../support/close-db";

interface StoredDestination {
  id: string;
  name: string;
  config: { topic: string; tls?: Record<string, unknown> };
  clientCertificate?: { subject: string; expiresInDays: number };
}

const run = randomUUID().slice(0, 8);
const topic = `switchyard/ui-tls/${run}`;
const mosquitto = useTlsMosquitto();

let server: NextServer;
let browser: TestBrowser;
let page: Page;
let material: TlsMaterial;
let subscriber: Subscriber;
let callbackId = "";
let deviceId = "";
let deliveryId = "";
let pageErrors: string[] = [];

beforeAll(async () => {
  let ui: OperatorUi;
  [ui, material] = await Promise.all([openSignedInUi(), tlsMaterial()]);
  ({ server, browser, page, pageErrors } = ui);
  // The plain mqtts listener of the same broker: it sees what the destination publishes on the client-certificate one.
  subscriber = await subscribe(mosquitto().urls.mqtts, [`${topic}/#`], { ca: material.ca.cert });
  callbackId = (await createCallback(server.url, { name: `UI TLS ${run}`, retries: 0, destinations: [] })).id;
}, 420_000);

afterAll(async () => {
  await cancelPendingJobs();
  if (server && callbackId) await call(server.url, "DELETE", `/api/callbacks/${callbackId}`);
  await subscriber?.close();
  await browser?.close();
  await server?.close();
  await closeDb();
});

const card = (name: string) => page.getByRole("article", { name: `Destination ${name}` });

async function stored(id: string): Promise<StoredDestination> {
  const result = await call<StoredDestination>(server.url, "GET", `/api/destinations/${id}`);
  expect(result.status).toBe(200);
  return result.body;
}

async function destinationNamed(name: string): Promise<StoredDestination | undefined> {
  const result = await call<{ destinations: StoredDestination[] }>(server.url, "GET", `/api/callbacks/${callbackId}`);
  return result.body.destinations.find((item) => item.name === name);
}

async function sendTest(destinationId: string): Promise<DeliveryDetail> {
  const fired = await call<{ deliveries: Array<{ id: string }> }>(server.url, "POST", `/api/callbacks/${callbackId}/test`, { body: { destinationIds: [destinationId] } });
  expect(fired.status).toBe(202);
  return waitForDelivery(server.url, fired.body.deliveries[0]?.id ?? "", ["succeeded", "failed", "dead"]);
}

describe("an MQTT destination with a private CA and a client certificate", () => {
  it("is made through the form with an encrypted key and its passphrase, and delivers over mqtts with the certificate required", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Add destination" }).click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Kind").selectOption("mqtt");
    await form.getByLabel("Name", { exact: true }).fill("device");
    await form.getByLabel("URL", { exact: true }).fill(mosquitto().urls.mqttsClientCert);
    await form.getByLabel("Topic", { exact: true }).fill(`${topic}/first`);
    await form.getByLabel("CA certificates (PEM)").fill(material.ca.cert);
    await form.getByLabel("Client certificate (PEM)").fill(material.clientEncrypted.cert);
    const key = form.getByLabel("Client private key (PEM)");
    expect(await key.evaluate((element) => `${element.tagName} ${getComputedStyle(element).fontFamily}`)).toMatch(/^TEXTAREA .*mono/i);
    await key.fill(material.clientEncrypted.key);
    const passphrase = form.getByLabel("Private key passphrase");
    expect(await passphrase.getAttribute("type")).toBe("password");
    await passphrase.fill(material.clientEncrypted.passphrase);
    await screenshot(page, "destination-form-tls");
    await form.getByRole("button", { name: "Add destination" }).click();
    await card("device").waitFor();

    const created = await destinationNamed("device");
    deviceId = created?.id ?? "";
    expect(created?.config.tls).toMatchObject({ ca: material.ca.cert, cert: material.clientEncrypted.cert, key: "***", passphrase: "***", insecureSkipVerify: false });
    expect(created?.clientCertificate?.subject).toContain("switchyard-test-client");
    const summary = await card("device").getByTestId("tls-status").innerText();
    expect(summary).toContain("switchyard-test-client");
    expect(summary).toMatch(/expires in \d+ days/);
    expect(summary).not.toMatch(/certificate expire/);

    const delivery = await sendTest(deviceId);
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    expect((await subscriber.next(`${topic}/first`)).payload).toContain(callbackId);
    await screenshot(page, "destination-tls");
  }, 60_000);

  it("shows the stored key as *** and keeps it sealed through an unrelated edit: the next delivery still presents the certificate", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await card("device").getByRole("button", { name: "Edit" }).click();
    const form = card("device").getByRole("form", { name: "Edit destination" });
    const key = form.getByLabel("Client private key (PEM)");
    expect(await key.getAttribute("type")).toBe("password");
    expect(await key.inputValue()).toBe("***");
    expect(await form.getByLabel("Private key passphrase").inputValue()).toBe("***");
    expect(await form.getByLabel("CA certificates (PEM)").inputValue()).toBe(material.ca.cert);
    await form.getByLabel("Topic", { exact: true }).fill(`${topic}/edited`);
    await form.getByRole("button", { name: "Save destination" }).click();
    await expect.poll(() => form.count()).toBe(0);

    const after = await stored(deviceId);
    expect(after.config.topic).toBe(`${topic}/edited`);
    expect(after.config.tls).toMatchObject({ key: "***", passphrase: "***", cert: material.clientEncrypted.cert });
    const delivery = await sendTest(deviceId);
    expect(delivery.status, delivery.lastError ?? "").toBe("succeeded");
    expect((await subscriber.next(`${topic}/edited`)).payload).toContain(callbackId);
  }, 60_000);

  it("replaces the key only when asked: Replace with nothing typed is refused, naming the key", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await card("device").getByRole("button", { name: "Edit" }).click();
    const form = card("device").getByRole("form", { name: "Edit destination" });
    await form.getByRole("button", { name: "Replace" }).click();
    expect(await form.getByLabel("Client private key (PEM)").evaluate((element) => element.tagName)).toBe("TEXTAREA");
    await form.getByRole("button", { name: "Save destination" }).click();
    await expect.poll(() => form.locator(".field-error").allInnerTexts()).toContainEqual(expect.stringMatching(/private key/));
    expect((await stored(deviceId)).config.tls).toMatchObject({ key: "***" });
    await form.getByRole("button", { name: "Cancel" }).click();
  }, 30_000);
});

describe("the preset picker", () => {
  it("fills AWS IoT Core's defaults into an MQTT form, lists its rules, and a save that breaks one is refused under the field", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Add destination" }).click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Kind").selectOption("mqtt");
    await form.getByLabel("QoS").selectOption("2");
    await form.getByLabel("Protocol version").selectOption("5");
    await form.getByLabel("Preset").selectOption({ label: "AWS IoT Core" });
    expect(await form.getByLabel("QoS").inputValue()).toBe("1");
    expect(await form.getByLabel("Protocol version").inputValue()).toBe("4");
    const hint = form.getByTestId("preset-hint");
    expect(await hint.innerText()).toMatch(/QoS 2 is not supported/);
    expect(await hint.innerText()).toMatch(/x-amzn-mqtt-ca/);

    await form.getByLabel("Name", { exact: true }).fill("iot");
    await form.getByLabel("URL", { exact: true }).fill(mosquitto().urls.mqttsClientCert);
    await form.getByLabel("Topic", { exact: true }).fill(`${topic}/iot`);
    await form.getByLabel("CA certificates (PEM)").fill(material.ca.cert);
    await form.getByLabel("Client certificate (PEM)").fill(material.client.cert);
    await form.getByLabel("Client private key (PEM)").fill(material.client.key);
    await form.getByRole("button", { name: "Add destination" }).click();
    // The stand listens on a loopback port, not IoT Core's: the preset's own rule refuses it, under the URL.
    await expect.poll(() => form.locator(".field-error").allInnerTexts()).toContainEqual(expect.stringMatching(/AWS IoT Core serves mqtts:\/\/ on port 8883/));
    expect(await destinationNamed("iot")).toBeUndefined();
    await form.getByRole("button", { name: "Cancel" }).click();
  }, 30_000);
});

describe("expiring client certificates", () => {
  it("are flagged on the overview with a link to the destination, which shows the badge; a long-lived one is not", async () => {
    const soon = await call<StoredDestination>(server.url, "POST", `/api/callbacks/${callbackId}/destinations`, {
      body: {
        kind: "mqtt",
        name: "renew-me",
        config: { url: mosquitto().urls.mqtts, topic: `${topic}/soon`, tls: { ca: material.ca.cert, cert: material.soonClient.cert, key: material.soonClient.key } },
      },
    });
    expect(soon.status).toBe(201);

    await page.goto(`${server.url}/`);
    const panel = page.getByRole("region", { name: "Client certificates expiring" });
    const row = panel.getByTestId("expiring-certificate").filter({ hasText: "renew-me" });
    expect(await row.innerText()).toMatch(/expires in (9|10) days/);
    expect(await panel.getByTestId("expiring-certificate").filter({ hasText: "device" }).count()).toBe(0);
    await screenshot(page, "overview-expiring-certificate");

    await row.getByRole("link", { name: "renew-me" }).click();
    await page.waitForURL(`${server.url}/callbacks/${callbackId}#destination-${soon.body.id}`);
    expect(await card("renew-me").getByTestId("tls-status").innerText()).toMatch(/certificate expires in (9|10) days/);
  }, 30_000);
});

describe("insecureSkipVerify", () => {
  it("carries its warning in the form, and this production server refuses it at save naming the field", async () => {
    await page.goto(`${server.url}/callbacks/${callbackId}`);
    await page.getByRole("button", { name: "Add destination" }).click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Kind").selectOption("mqtt");
    await form.getByLabel("Name", { exact: true }).fill("careless");
    await form.getByLabel("URL", { exact: true }).fill(mosquitto().urls.mqtts);
    const skip = form.getByLabel("Skip server certificate verification");
    await skip.check();
    const warning = form.locator(`#${await skip.getAttribute("id")}-warning`);
    expect(await warning.innerText()).toContain(insecureSkipVerifyWarning);
    expect(await warning.isVisible()).toBe(true);
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect.poll(() => form.locator(".field-error").allInnerTexts()).toContainEqual(expect.stringMatching(/refused in production/));
    expect(await destinationNamed("careless")).toBeUndefined();
  }, 30_000);

  it("is shown as a warning on the destination and on an attempt that recorded it", async () => {
    // Only a development deployment saves it; this server is a production build, so the switch is set in the row
    // (as a destination saved by a development deployment on the same database would have it).
    await sql`update destinations set config = jsonb_set(config, '{tls,insecureSkipVerify}', 'true') where id = ${deviceId}`.execute(getDb());
    const delivery = await sendTest(deviceId);
    deliveryId = delivery.id;
    // The production sender refuses to connect, and records the setting it refused.
    expect(delivery.status).toBe("failed");
    expect(delivery.attemptsLog[0]?.request.tls).toMatchObject({ insecureSkipVerify: true });

    await page.goto(`${server.url}/callbacks/${callbackId}`);
    expect(await card("device").getByTestId("tls-status").innerText()).toMatch(/TLS verification off/);
    await page.goto(`${server.url}/deliveries/${deliveryId}`);
    await expect.poll(() => page.locator("ol.timeline").innerText()).toMatch(/TLS verification off/);
    await screenshot(page, "delivery-insecure-tls");
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
