// The staff desk's code is split out of the browser bundle (lazy routes, cut apart by
// scripts/build): every network request is recorded, and a customer's whole journey
// (registering, signing in, the portal, a request form, "Meus Tickets", a ticket) never
// fetches a part of the desk, while an agent opening "/fila" does, the page hydrates, and
// following a ticket from the queue to its workspace stays in the page. And a visitor's
// first page downloads its own group's pack only (the home page's alone).
import * as fs from "node:fs";
import * as path from "node:path";
import { BrowserContext } from "@playwright/test";
import { baseURL, targetDir } from "../env";
import { test, expect, hydrated } from "./fixtures";
import { createStaff, login, newPerson, openRequest, register } from "./helpers";

// The bundle's files sit in a directory named after their contents' hash.
const HASH = fs.readFileSync(path.join(targetDir, "site", "pkg", "BUNDLE"), "utf8").trim();
const PKG = path.join(targetDir, "site", "pkg", HASH);
const PORTFOLIO = "CENTRAL DE ATENDIMENTO AO CLIENTE";

/**
 * The build's split manifest (split point -> the files it loads, without `.wasm`): the
 * desk's pages are one split point, `desk_pages` (`app/src/pages/mod.rs`), whose files the
 * browser fetches as one pack, `pack_<split point>.bin` (tools/wasm-split).
 */
function deskParts(): { queue: string[]; workspace: string[]; all: Set<string> } {
  const manifest: Record<string, string[]> = JSON.parse(
    fs.readFileSync(path.join(PKG, "__wasm_split_manifest.json"), "utf8"),
  );
  const keys = Object.keys(manifest).filter((key) => /^desk_pages/.test(key));
  expect(keys, `one desk split point in ${JSON.stringify(manifest)}`).toHaveLength(1);
  const pack = `/pkg/${HASH}/pack_${keys[0]}.bin`;
  expect(fs.existsSync(path.join(PKG, path.basename(pack))), `${pack} built`).toBe(true);
  // The pack holds the desk's files, among them code the desk shares with a customer's
  // page (a chunk both load): some of them only the desk loads.
  const customers = new Set(
    Object.entries(manifest)
      .filter(([key]) => !/^(desk|admin)_pages/.test(key))
      .flatMap(([, stems]) => stems),
  );
  const deskOnly = manifest[keys[0]].filter((stem) => !customers.has(stem));
  expect(deskOnly.length, "parts only the desk loads").toBeGreaterThan(0);
  const packed = fs.readFileSync(path.join(PKG, path.basename(pack)));
  for (const stem of deskOnly) expect(packed.includes(Buffer.from(stem)), `${stem} in ${pack}`).toBe(true);
  // The desk's files themselves are never fetched one by one: the pack is.
  const files = manifest[keys[0]].map((stem) => `/pkg/${HASH}/${stem}.wasm`);
  return { queue: [pack], workspace: [pack], all: new Set([pack, ...files.filter((f) => deskOnly.some((s) => f.endsWith(`/${s}.wasm`)))]) };
}

/** Every path the context's pages ask the server for, in order. */
function recordRequests(context: BrowserContext): string[] {
  const paths: string[] = [];
  context.on("request", (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

test("the build splits the staff desk out of the main bundle", () => {
  const parts = deskParts();
  const main = fs.statSync(path.join(PKG, "atende_bg.wasm")).size;
  const desk = [...parts.all].reduce((sum, file) => sum + fs.statSync(path.join(PKG, path.basename(file))).size, 0);
  expect(desk).toBeGreaterThan(50_000);
  expect(main).toBeGreaterThan(0);
  // The glue imports the split points' loader, which fetches the parts next to it.
  expect(fs.readFileSync(path.join(PKG, "atende.js"), "utf8")).toContain("./__wasm_split.");
});

test("a customer's journey never downloads the staff desk; an agent's queue does", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const parts = deskParts();
  const customerPaths = recordRequests(page.context());

  // The customer: registers, signs in, browses the portal down to a request form,
  // opens a request, lists it and reads it.
  const maria = newPerson("bundle");
  await register(page, maria);
  await login(page, maria.login, maria.password);
  await expect(page.getByText(`Olá, ${maria.name}`)).toBeVisible();
  await page.goto("/portal");
  await hydrated(page);
  await page.getByRole("link", { name: new RegExp(PORTFOLIO) }).click();
  await page.getByRole("link", { name: /^FATURAMENTO/ }).click();
  await page.getByRole("link", { name: /^Correção de Faturas/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correção de Faturas");
  const number = await openRequest(page, "Cobrança em duplicidade na fatura de outubro.");
  await page.goto("/meus-tickets");
  await hydrated(page);
  await page.getByRole("link", { name: number, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}`));
  await page.reload();
  await hydrated(page);
  await expect(page.getByText("Cobrança em duplicidade na fatura de outubro.")).toBeVisible();

  // The main bundle was loaded; no part of the desk, nor its loader's manifest.
  expect(customerPaths).toContain(`/pkg/${HASH}/atende_bg.wasm`);
  const fetchedDesk = customerPaths.filter((p) => parts.all.has(p) || p.includes("__wasm_split_manifest"));
  expect(fetchedDesk, "desk parts fetched by a customer").toEqual([]);

  // The agent: signing in lands on the queue, which loads the queue's parts.
  const stamp = Date.now().toString(36);
  createStaff(`ana${stamp}`, "Ana Atendente", "agent", "1º Nível - NUATE");
  const context = await browser.newContext({ baseURL, locale: "pt-BR" });
  const agentPaths = recordRequests(context);
  const ana = await context.newPage();
  const errors: string[] = [];
  ana.on("pageerror", (err) => errors.push(err.message));
  ana.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  await login(ana, `ana${stamp}`, "equipe1234");
  await expect(ana).toHaveURL(/\/fila$/);
  // A full page load of the queue: the server-rendered lazy route is hydrated.
  await ana.goto("/fila");
  await hydrated(ana);
  await expect(ana.getByRole("heading", { name: "Fila de atendimento" })).toBeVisible();
  for (const file of parts.queue) expect(agentPaths, `${file} fetched for /fila`).toContain(file);
  // Every page group came as its pack: no part was fetched file by file.
  const oneByOne = [...customerPaths, ...agentPaths].filter((p) => /\/(chunk|split)_[^/]*\.wasm$/.test(p));
  expect(oneByOne, "parts fetched one by one instead of in their pack").toEqual([]);

  // Hydrated for real: the filter form navigates in place (the page is not reloaded).
  await ana.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await ana.getByLabel("Pesquisar por número, cliente, login, CPF/CNPJ ou palavra").fill(maria.login);
  await ana.getByRole("button", { name: "Filtrar" }).click();
  await expect(ana).toHaveURL(new RegExp(`/fila\\?q=${maria.login}`));
  const row = ana.getByRole("row", { name: new RegExp(`^${number} `) });
  await expect(row).toBeVisible();

  // Client-side navigation to the ticket's workspace: its own part is fetched, and the
  // document is the same one.
  const documents = agentPaths.length;
  await row.getByRole("link", { name: number }).click();
  await expect(ana).toHaveURL(new RegExp(`/fila/${number}$`));
  await expect(ana.getByText("Cobrança em duplicidade na fatura de outubro.")).toBeVisible();
  await expect(ana.getByRole("link", { name: "Nota interna", exact: true })).toBeVisible();
  expect(await ana.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  const afterClick = agentPaths.slice(documents);
  for (const file of parts.workspace) expect(agentPaths, `${file} fetched for the workspace`).toContain(file);
  expect(afterClick, "no page load on the way to the workspace").not.toContain(`/fila/${number}`);
  expect(errors, "agent's browser console errors").toEqual([]);
  await context.close();
});

// Each page group is a split point of its own (`app/src/pages/mod.rs`): a visitor's first
// page downloads the main bundle and its group's pack only; the home page is a group alone.
for (const [url, group] of [
  ["/", "home_page"],
  ["/entrar", "visitor_pages"],
  ["/cadastrar", "visitor_pages"],
] as const) {
  test(`${url} downloads its own page group's pack and no other`, async ({ page }) => {
    const paths = recordRequests(page.context());
    await page.goto(url);
    await hydrated(page);
    const packs = paths.filter((p) => /\/pack_[^/]*\.bin$/.test(p)).map((p) => path.basename(p));
    expect(packs).toHaveLength(1);
    expect(packs[0]).toMatch(new RegExp(`^pack_${group}_\\d+\\.bin$`));
  });
}
