// Browser steps the operator-UI tests share: signing in through the login form, and full-page
// screenshots kept in .test-artifacts/screenshots for people to look at.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

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
