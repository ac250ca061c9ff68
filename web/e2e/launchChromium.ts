// Debian's Chromium, driven headless by playwright-core: a real browser with a fresh profile, nothing downloaded.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = [
  process.env.OCTO_CHROMIUM,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

export function findChromium({
  candidates = CANDIDATES,
  mayInstall = canInstall(),
}: {
  candidates?: readonly (string | undefined)[];
  mayInstall?: boolean;
} = {}): string {
  let found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found && mayInstall) {
    console.log("installing Chromium for the browser tests (apt-get install -y chromium)…");
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    spawnSync("apt-get", ["install", "-y", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    found = candidates.find((p): p is string => !!p && existsSync(p));
  }
  if (!found)
    throw new Error(
      "No Chromium found for the browser tests (looked at /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome and $OCTO_CHROMIUM). " +
        "Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or point OCTO_CHROMIUM at a Chrome or Chromium binary.",
    );
  return found;
}

/** On CI (or when asked), a root shell with apt installs Debian's package itself: a clean runner passes unattended. */
function canInstall(): boolean {
  return (
    !!(process.env.CI || process.env.OCTO_INSTALL_CHROMIUM === "1") &&
    process.getuid?.() === 0 &&
    existsSync("/usr/bin/apt-get")
  );
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "octo-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    viewport: { width: 1100, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
