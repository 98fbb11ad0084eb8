// Playwright against Debian's chromium (Playwright's own browser download is not
// reachable from the build machines). scripts/test builds the site, picks a free port
// and a fresh data directory, and passes them in; Playwright starts the real server,
// waits for /healthz, runs the tests and stops it.
import { defineConfig, devices } from "@playwright/test";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const port = Number(process.env.ATENDE_E2E_PORT ?? 3199);
const dataDir = process.env.ATENDE_E2E_DATA_DIR ?? path.join(targetDir, "e2e-data");
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "pt-BR",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: path.join(targetDir, "debug", "atende"),
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ATENDE_ADDR: `127.0.0.1:${port}`,
      ATENDE_DATA_DIR: dataDir,
      ATENDE_SITE_ROOT: path.join(targetDir, "site"),
      RUST_LOG: "warn",
    },
  },
});
