// Shared helpers: every test fails on a browser console error or an uncaught exception,
// and `hydrated` waits until the WASM has taken over the server-rendered page.
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, Page } from "@playwright/test";

export const test = base.extend<{ consoleErrors: string[]; expectedConsoleErrors: RegExp[] }>({
  // Errors a test provokes on purpose (a 404 page logs its own status).
  expectedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        // A server function (or the upload route) answering 4xx/5xx is an outcome the
        // page handles (the form shows it), not a fault; the browser still logs it.
        const url = msg.location().url;
        const fromServerFunction = url.includes("/api/") || url.includes("/anexos");
        if (fromServerFunction && msg.text().startsWith("Failed to load resource")) return;
        errors.push(msg.text());
      });
      page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
      await use(errors);
      const unexpected = errors.filter((e) => !expectedConsoleErrors.some((re) => re.test(e)));
      expect(unexpected, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", {
    timeout: 15_000,
  });
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function severeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
