// Browser steps the operator-UI tests share: the signed-in start of a test file, signing in
// through the login form, and full-page screenshots kept in .test-artifacts/screenshots for people to look at.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { ensureNextBuild, startNextServer, type NextServer } from "@/scripts/lib/next-server";
import { launchBrowser, type TestBrowser } from "./browser";
import { testAdminToken } from "./ports";

const screenshotDir = path.resolve(import.meta.dirname, "../../.test-artifacts/screenshots");

/** Signs in as a fresh visitor (cookies cleared) and waits for the overview. */
export async function signInAs(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.locator("main h1").first().waitFor();
  // Full-page captures of a scrolled page draw the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export interface OperatorUi {
  server: NextServer;
  browser: TestBrowser;
  page: Page;
  /** Uncaught page errors (and, with `reactConsole`, React's console errors), each prefixed with the page's URL. */
  pageErrors: string[];
}

/**
 * The shared start of a browser test file: builds if stale and starts `next start`, launches
 * Chromium, and opens one page that records its errors. `reactConsole` also records React's
 * console errors: a hydration mismatch is logged, then silently re-rendered.
 */
export async function openUi(options: { reactConsole?: boolean } = {}): Promise<OperatorUi> {
  await ensureNextBuild();
  const [server, browser] = await Promise.all([startNextServer(process.env), launchBrowser()]);
  try {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    if (options.reactConsole) {
      page.on("console", (message) => {
        if (message.type() === "error" && /React|hydrat/i.test(message.text())) pageErrors.push(`${page.url()}: ${message.text()}`);
      });
    }
    return { server, browser, page, pageErrors };
  } catch (error) {
    await closeUnreturned(server, browser);
    throw error;
  }
}

/** openUi, then signed in as the bootstrap admin. */
export async function openSignedInUi(options: { reactConsole?: boolean } = {}): Promise<OperatorUi> {
  const ui = await openUi(options);
  try {
    await signInAs(ui.page, ui.server.url, "admin", testAdminToken);
    return ui;
  } catch (error) {
    await closeUnreturned(ui.server, ui.browser);
    throw error;
  }
}

/** What a failed start had opened: the file's afterAll never got it to close. */
async function closeUnreturned(server: NextServer, browser: TestBrowser): Promise<void> {
  await browser.close();
  await server.close();
}
