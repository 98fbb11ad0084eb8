// Shared helpers: every test fails on a browser console error or an uncaught exception,
// and `hydrated` waits until the WASM has taken over the server-rendered page.
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, Page } from "@playwright/test";

export const test = base.extend<{ consoleErrors: string[]; expectedConsoleErrors: RegExp[] }>({
  // Errors a test provokes on purpose (a 404 page logs its own status).
  expectedConsoleErrors: [[], { option: true }],
  // Pages of contexts a test opens itself (a second user) are watched as well: a panic
  // in an agent's tab must not pass as a slow page.
  consoleErrors: [
    async ({ page, browser, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      const watch = (watched: Page, who: string) => {
        watched.on("console", (msg) => {
          if (msg.type() !== "error") return;
          // A server function (or the upload route) answering 4xx/5xx is an outcome the
          // page handles (the form shows it), not a fault; the browser still logs it.
          const url = msg.location().url;
          const fromServerFunction = url.includes("/api/") || url.includes("/anexos");
          if (fromServerFunction && msg.text().startsWith("Failed to load resource")) return;
          // A second user's page refused with 4xx (a 404 for someone without the role, a
          // plain post answered 422) is what those tests check; a 5xx never is.
          if (who && /^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
          errors.push(`${who}${msg.text()}`);
        });
        watched.on("pageerror", (err) => errors.push(`${who}uncaught: ${err.message}`));
      };
      watch(page, "");
      const newContext = browser.newContext;
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const context = await newContext.apply(browser, args);
        context.on("page", (opened) => watch(opened, "[another context] "));
        return context;
      };
      try {
        await use(errors);
      } finally {
        browser.newContext = newContext;
      }
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
