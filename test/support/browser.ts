// Headless Chromium from the Debian package (never a Playwright-downloaded browser, installed
// on first use when missing, see chromium.ts), one fresh profile per launch, for the operator-UI tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { debianChromiumPath, ensureChromium } from "./chromium";

const chromiumPath = process.env.CHROMIUM_PATH ?? debianChromiumPath;

// Once per test file: installing (first run on a fresh machine) takes a minute, checking is instant.
let chromiumReady: Promise<void> | undefined;

const launchArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  chromiumReady ??= ensureChromium(chromiumPath);
  await chromiumReady;
  const profile = mkdtempSync(path.join(tmpdir(), "sy-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: launchArgs,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
