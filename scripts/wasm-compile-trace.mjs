// One load of a page in Debian's chromium with the CPU throttled 4× (Lighthouse's mobile
// factor), traced: how many WebAssembly functions V8 compiled lazily on the main thread
// (each on its first call) and how long that took, and the main thread's long tasks
// (over 50 ms) with the compiling inside each. Prints one line. A diagnosis, not a test:
// `scripts/lighthouse --compile-trace` runs it on the pages Lighthouse scores.
//
// usage: node scripts/wasm-compile-trace.mjs URL [COOKIE]   (COOKIE: name=value)
import { createRequire } from "node:module";

const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");
const [url, cookie] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const context = await browser.newContext();
  if (cookie) {
    const at = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url }]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    traceConfig: { includedCategories: ["disabled-by-default-devtools.timeline", "devtools.timeline", "v8.wasm"] },
    transferMode: "ReportEvents",
  });
  await page.goto(url);
  await page.waitForSelector("body[data-hydrated]", { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await cdp.send("Tracing.end");
  await complete;

  // The page's main thread: the renderer's main thread that compiled the WebAssembly
  // (navigating from about:blank may have started another renderer first).
  const mains = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const thread = (e) => `${e.pid}:${e.tid}`;
  const compiledOn = (t) => events.filter((e) => e.name === "wasm.CompileLazy" && thread(e) === t).length;
  const main = mains.map(thread).sort((a, b) => compiledOn(b) - compiledOn(a))[0];
  const onMain = (e) => thread(e) === main;
  const lazy = events.filter((e) => e.name === "wasm.CompileLazy" && onMain(e));
  const ms = (us) => Math.round(us / 1000);
  const tasks = events
    .filter((e) => e.name === "RunTask" && onMain(e) && e.dur > 50_000)
    .map((task) => {
      const inside = lazy.filter((e) => e.ts >= task.ts && e.ts < task.ts + task.dur);
      const compiling = inside.reduce((sum, e) => sum + e.dur, 0);
      return inside.length ? `${ms(task.dur)} ms (${inside.length} compiled, ${ms(compiling)} ms)` : `${ms(task.dur)} ms`;
    });
  const total = lazy.reduce((sum, e) => sum + e.dur, 0);
  console.log(`compiled lazily: ${lazy.length} functions, ${ms(total)} ms; long tasks: ${tasks.join(", ")}`);
} finally {
  await browser.close();
}
