// Issue #17 in the operator UI, in a real browser against the built `next start`: the callback
// form's handshake picker shows the chosen preset's secret field and where to paste the trigger
// URL in that provider's console, the API's 422 when the methods do not fit, and after Meta's
// verification GET the callback page lists the answered handshake with the secret still masked;
// an acknowledgement set in the settings form is what the next trigger answers.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NextServer } from "@/scripts/lib/next-server";
import { call } from "../../support/api";
import type { TestBrowser } from "../../support/browser";
import { closeDb } from "../../support/close-db";
import { cancelPendingJobs } from "../../support/harness";
import { openSignedInUi, screenshot } from "../../support/ui-pages";

const run = randomUUID().slice(0, 8);
let server: NextServer;
let browser: TestBrowser;
let page: Page;
let callbackId = "";
let pageErrors: string[] = [];

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openSignedInUi());
}, 420_000);

afterAll(async () => {
  await cancelPendingJobs();
  if (server && callbackId) await call(server.url, "DELETE", `/api/callbacks/${callbackId}`);
  await browser?.close();
  await server?.close();
  await closeDb();
});

describe("handshake preset on the callback form", () => {
  it("shows the preset's secret and where to paste the URL, refuses unfitting methods, and lists the answered handshake", async () => {
    await page.goto(`${server.url}/callbacks/new`);
    const form = page.getByRole("form", { name: "New callback" });
    await form.getByLabel("Name", { exact: true }).fill(`UI handshake ${run}`);
    const handshake = form.locator("fieldset.group").filter({ has: page.locator("legend", { hasText: /^Verification handshake$/ }) });
    await handshake.getByLabel("Verification handshake type").selectOption("dropbox");
    await expect.poll(() => form.getByRole("note", { name: "Handshake setup" }).innerText()).toContain("Dropbox App Console");
    expect(await handshake.getByLabel("Secret").count()).toBe(0);

    await handshake.getByLabel("Verification handshake type").selectOption("meta");
    const note = form.getByRole("note", { name: "Handshake setup" });
    await expect.poll(() => note.innerText()).toContain("Meta App Dashboard");
    expect(await note.innerText()).toContain("The verify token you type in Meta's dashboard.");
    await handshake.getByLabel("Secret").fill("ui-verify-token");

    // Only POST: the API refuses what Meta's verification GET would meet (405).
    await form.getByRole("checkbox", { name: "POST" }).check();
    await expect.poll(() => note.innerText()).toContain("add GET to the methods");
    await form.getByRole("button", { name: "Create callback" }).click();
    await expect.poll(() => form.innerText()).toContain("the meta handshake arrives as GET; add GET to methods");

    await form.getByRole("checkbox", { name: "GET" }).check();
    await expect.poll(() => note.innerText()).not.toContain("add GET to the methods");
    await screenshot(page, "handshake-form");
    await form.getByRole("button", { name: "Create callback" }).click();
    const tokenBlock = page.locator(".copy-block").filter({ has: page.locator(".copy-head span", { hasText: /^Token$/ }) });
    const token = (await tokenBlock.locator("pre").innerText()).trim();

    const answer = await fetch(`${server.url}/api/trigger/${token}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=ui-verify-token`);
    expect([answer.status, await answer.text()]).toEqual([200, "1158201444"]);

    await page.getByRole("link", { name: "Continue: add destinations" }).click();
    await page.waitForURL(/\/callbacks\/[0-9a-f-]{36}$/);
    callbackId = page.url().split("/").pop() ?? "";
    const log = page.getByRole("region", { name: "Handshakes (meta)" });
    await expect.poll(() => log.innerText()).toContain("hub.challenge=1158201444");
    expect(await log.innerText()).toContain("GET");
    const settings = page.getByRole("form", { name: "Callback settings" });
    const savedHandshake = settings.locator("fieldset.group").filter({ has: page.locator("legend", { hasText: /^Verification handshake$/ }) });
    expect(await savedHandshake.getByLabel("Verification handshake type").inputValue()).toBe("meta");
    expect(await savedHandshake.getByLabel("Secret").inputValue()).toBe("***");
    expect(await page.content()).not.toContain("ui-verify-token");
    await screenshot(page, "handshake-callback");

    // The acknowledgement: its status shows as unset until chosen, then the trigger answers with it.
    const ack = settings.locator("fieldset").filter({ has: page.locator("legend", { hasText: /^Acknowledgement/ }) });
    expect(await ack.getByLabel("Status").inputValue()).toBe("");
    await ack.getByLabel("Status").selectOption("201");
    await ack.getByLabel("Body").fill("thanks {query.who}");
    await settings.getByRole("button", { name: "Save changes" }).click();
    await settings.getByText("Saved.").waitFor();
    const acknowledged = await fetch(`${server.url}/api/trigger/${token}?who=meta`, { method: "POST", body: "{}" });
    expect([acknowledged.status, await acknowledged.text()]).toEqual([201, "thanks meta"]);

    // Emptied again, the acknowledgement is removed: the default 202 with the JSON answer is back.
    await page.reload();
    const reloaded = page
      .getByRole("form", { name: "Callback settings" })
      .locator("fieldset")
      .filter({ has: page.locator("legend", { hasText: /^Acknowledgement/ }) });
    expect(await reloaded.getByLabel("Status").inputValue()).toBe("201");
    await reloaded.getByLabel("Status").selectOption("");
    await reloaded.getByLabel("Body").fill("");
    await page.getByRole("form", { name: "Callback settings" }).getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("form", { name: "Callback settings" }).getByText("Saved.").waitFor();
    expect((await fetch(`${server.url}/api/trigger/${token}`, { method: "POST", body: "{}" })).status).toBe(202);
    expect(pageErrors).toEqual([]);
  });
});
