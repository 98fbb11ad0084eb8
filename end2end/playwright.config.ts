// Playwright against Debian's chromium (Playwright's own browser download is not
// reachable from the build machines). scripts/test builds the site, picks free ports
// and a fresh data directory, and passes them in; Playwright starts the loopback
// ViaCEP stand-in and the real server, waits for /healthz, runs the tests, stops both.
import { defineConfig, devices } from "@playwright/test";
import { atendeBinary, atendeEnv, baseURL, viacepPort } from "./env";

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
  webServer: [
    {
      command: `node viacep-stub.mjs ${viacepPort}`,
      url: `http://127.0.0.1:${viacepPort}/ws/70040020/json/`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
    {
      command: atendeBinary,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      env: atendeEnv,
    },
  ],
});
