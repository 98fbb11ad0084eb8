// The staff desk's code is split out of the browser bundle (lazy routes, cut apart by
// scripts/build): every network request is recorded, and a customer's whole journey
// (registering, signing in, the portal, a request form, "Meus Tickets", a ticket) never
// fetches a part of the desk, while an agent opening "/fila" does, the page hydrates, and
// following a ticket from the queue to its workspace stays in the page. And a visitor's
// first page downloads its own group's pack only (the home page's alone).
import * as fs from "node:fs";
import * as path from "node:path";
import { BrowserContext, Page } from "@playwright/test";
import { baseURL, targetDir } from "../env";
import { test, expect, hydrated } from "./fixtures";
import { call, createStaff, fillRegistration, login, newPerson, openRequest, Person, register, solveCaptcha } from "./helpers";

// The bundle's files sit in a directory named after their contents' hash.
const HASH = fs.readFileSync(path.join(targetDir, "site", "pkg", "BUNDLE"), "utf8").trim();
const PKG = path.join(targetDir, "site", "pkg", HASH);
const PORTFOLIO = "CENTRAL DE ATENDIMENTO AO CLIENTE";

/**
 * The build's split manifest (split point -> the splitter's parts, without `.wasm`): the
 * desk's pages are one split point, `desk_pages` (`app/src/pages/mod.rs`), whose parts the
 * build merges into one module, `pack_<split point>.wasm` (tools/wasm-split), the one
 * file the browser fetches for them.
 */
function deskParts(): { queue: string[]; workspace: string[]; all: Set<string> } {
  const manifest: Record<string, string[]> = JSON.parse(
    fs.readFileSync(path.join(PKG, "__wasm_split_manifest.json"), "utf8"),
  );
  const keys = Object.keys(manifest).filter((key) => /^desk_pages/.test(key));
  expect(keys, `one desk split point in ${JSON.stringify(manifest)}`).toHaveLength(1);
  const pack = `/pkg/${HASH}/pack_${keys[0]}.wasm`;
  expect(fs.existsSync(path.join(PKG, path.basename(pack))), `${pack} built`).toBe(true);
  // The desk has code of its own (parts no customer's page group loads), merged into its
  // pack with the code it shares; the parts themselves are not published.
  const customers = new Set(
    Object.entries(manifest)
      .filter(([key]) => !/^(desk|admin)_pages/.test(key))
      .flatMap(([, stems]) => stems),
  );
  const deskOnly = manifest[keys[0]].filter((stem) => !customers.has(stem));
  expect(deskOnly.length, "parts only the desk loads").toBeGreaterThan(0);
  for (const stem of manifest[keys[0]]) expect(fs.existsSync(path.join(PKG, `${stem}.wasm`)), `${stem}.wasm published`).toBe(false);
  // One module: WebAssembly's magic number.
  expect(fs.readFileSync(path.join(PKG, path.basename(pack))).subarray(0, 4)).toEqual(Buffer.from("\0asm", "latin1"));
  return { queue: [pack], workspace: [pack], all: new Set([pack]) };
}

/**
 * A new customer registers, signs in and browses from a fresh load of the portal down to
 * the "Correção de Faturas" request form, by clicks (client-side navigation).
 */
async function toRequestForm(page: Page, prefix: string): Promise<Person> {
  const person = newPerson(prefix);
  await register(page, person);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  await page.goto("/portal");
  await hydrated(page);
  await page.getByRole("link", { name: new RegExp(PORTFOLIO) }).click();
  await page.getByRole("link", { name: /^FATURAMENTO/ }).click();
  await page.getByRole("link", { name: /^Correção de Faturas/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correção de Faturas");
  return person;
}

/**
 * A new customer, signed in, with two tickets: "A fatura de maio não chegou." (the first)
 * and "O boleto de junho veio em dobro." (the second, listed first).
 */
async function withTwoTickets(page: Page, prefix: string): Promise<[string, string]> {
  const person = newPerson(prefix);
  await register(page, person);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  const first = await openRequest(page, "A fatura de maio não chegou.");
  const second = await openRequest(page, "O boleto de junho veio em dobro.");
  return [first, second];
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
  const maria = await toRequestForm(page, "bundle");
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
  // Every page group came as its pack: no part of the splitter was fetched by itself.
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
// page downloads the main bundle and its group's pack only (one module, the code it
// shares with other groups merged in); the home page is a group alone.
for (const [url, group] of [
  ["/", "home_page"],
  ["/entrar", "login_page"],
  ["/cadastrar", "register_page"],
  ["/esqueci-senha", "forgot_password_page"],
  ["/portal", "portal_page"],
] as const) {
  test(`${url} downloads its own page group's pack and no other`, async ({ page }) => {
    const paths = recordRequests(page.context());
    await page.goto(url);
    await hydrated(page);
    const wasm = paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p));
    expect(wasm).toHaveLength(2);
    expect(wasm[0]).toBe("atende_bg.wasm");
    expect(wasm[1]).toMatch(new RegExp(`^pack_${group}\\.wasm$`));
  });
}

// A pack holds the code its group shares with other groups (tools/wasm-split), so going
// from the portal to a request form instantiates some of that code a second time. Its
// static data must still be copied into memory once (a second copy would reset statics
// the program has written since): each part's copy is an export of the pack, which the
// loader calls for the parts no earlier pack brought. Counted here by wrapping what the
// loader sees of each pack's instance.
test("code two page groups share is loaded with both, its data copied in once", async ({ page }) => {
  await page.addInitScript(() => {
    const state = { copies: {} as Record<string, number>, packs: {} as Record<string, string[]> };
    (window as unknown as { packState: typeof state }).packState = state;
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      const loaded = await instantiate(source, imports);
      const name = new URL((await source).url).pathname.split("/").pop() ?? "";
      if (!name.startsWith("pack_")) return loaded;
      const exports: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(loaded.instance.exports)) {
        exports[key] = !key.startsWith("__atende_data_")
          ? value
          : () => {
              state.copies[key] = (state.copies[key] ?? 0) + 1;
              (value as () => void)();
            };
      }
      state.packs[name] = Object.keys(exports).filter((key) => key.startsWith("__atende_data_"));
      return { module: loaded.module, instance: { exports } as unknown as WebAssembly.Instance };
    };
  });
  await toRequestForm(page, "shared");
  await hydrated(page);
  // The request form works: its instant validation speaks beside the field.
  await page.getByLabel("Natureza", { exact: true }).selectOption("F");
  await page.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-24");
  await page.getByLabel("CPF ou CNPJ", { exact: true }).blur();
  await expect(page.locator("#documento-erro")).toHaveText("CPF inválido: confira os 11 dígitos.");

  const { copies, packs } = await page.evaluate(
    () => (window as unknown as { packState: { copies: Record<string, number>; packs: Record<string, string[]> } }).packState,
  );
  const names = Object.keys(packs);
  expect(names.some((n) => n.startsWith("pack_portal_page.")), `packs loaded: ${names}`).toBe(true);
  expect(names.some((n) => n.startsWith("pack_request_page.")), `packs loaded: ${names}`).toBe(true);
  const [portal, ticket] = ["portal_page", "request_page"].map((g) => packs[names.find((n) => n.startsWith(`pack_${g}.`))!]);
  const shared = portal.filter((key) => ticket.includes(key));
  expect(shared.length, "parts with data that both packs bring").toBeGreaterThan(0);
  for (const key of new Set([...portal, ...ticket])) expect(copies[key], `${key} copied`).toBe(1);
});

// A ticket's page opens on Descrição; the other tabs' code is a split point of its own
// (`ticket_tabs`, app/src/pages/ticket.rs), fetched when a tab is pointed at, focused or
// opened, and before hydration when the URL itself opens a tab.
test("a ticket's page downloads the other tabs' code only when one is wanted", async ({ page }) => {
  const person = newPerson("abas");
  await register(page, person);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  const number = await openRequest(page, "A fatura de março veio duplicada.");
  const paths = recordRequests(page.context());
  const packs = () => paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p));

  await page.goto(`/meus-tickets/${number}`);
  await hydrated(page);
  expect(packs()).toHaveLength(2);
  expect(packs()[0]).toBe("atende_bg.wasm");
  expect(packs()[1]).toMatch(/^pack_ticket_page\.wasm$/);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("Descrição");

  // Opening "Histórico" by keyboard fetches the tabs' pack and shows the tab, in the page;
  // on a slow network the panel says it is loading meanwhile.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pack_ticket_tabs\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByRole("link", { name: "Histórico" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}\\?aba=historico$`));
  await expect(page.locator(".tab-panel").getByRole("status")).toHaveText("Carregando…");
  release();
  await expect(page.locator("table.history")).toContainText("Aberto");
  await expect(page.locator(".tab-panel").getByRole("status")).toHaveCount(0);
  expect(packs().filter((p) => /^pack_ticket_tabs\.wasm$/.test(p))).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // A URL that opens a tab: its code arrives before hydration, and the tab's form works.
  const before = paths.length;
  await page.goto(`/meus-tickets/${number}?aba=anotacao`);
  await hydrated(page);
  const loaded = paths.slice(before).filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p));
  expect(loaded.some((p) => /^pack_ticket_tabs\.wasm$/.test(p)), `fetched: ${loaded}`).toBe(true);
  await page.getByLabel("Anotação", { exact: true }).fill("Segue a segunda via em anexo.");
  await page.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(page.getByLabel("Anotação", { exact: true })).toHaveValue("");
  await page.getByRole("link", { name: "Histórico" }).click();
  await expect(page.locator("table.history")).toContainText("Segue a segunda via em anexo.");
});

// A page's pack that cannot be downloaded (a dropped connection on a weak signal, or an old
// tab asking for a release's files after the next one) is asked for once more a second
// later (tools/wasm-split's loader); if that fails too, nothing panics
// (app/src/pages/parts.rs): the page the browser loaded stays as the server rendered it,
// its forms working as plain posts, and a page opened later is loaded from the server.
/** A new customer, signed in, and the address of the "Correção de Faturas" request form. */
async function requestFormUrl(page: Page, prefix: string): Promise<string> {
  const person = newPerson(prefix);
  await register(page, person);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  const hits = await (await call(page.request, "portal-search", { query: "correcao de faturas" })).json();
  return `/portal/${hits[0].portfolio.id}/${hits[0].service.id}/${hits[0].activity.id}`;
}

/** Fills in what the first request needs besides the document (already typed). */
async function completeRequest(page: Page) {
  await page.getByLabel("CEP", { exact: true }).fill("70040020");
  await page.getByLabel("Endereço", { exact: true }).fill("SBN Quadra 2");
  await page.getByLabel("Cidade", { exact: true }).fill("Brasília");
  await page.getByLabel("UF", { exact: true }).selectOption("DF");
  await page.getByLabel("Número da fatura", { exact: true }).fill("2026-000123");
  await page.getByLabel("Descrição", { exact: true }).fill("A fatura de março veio em dobro.");
}

// A request form's page downloads the page and not the form's own code (a part of its
// own: `pages::parts::deferred`), which comes when the visitor starts on the form. Held
// back here until released, to show what happens meanwhile.
test("a request form's own code comes when the visitor starts on it; what was typed and sent meanwhile is kept", async ({ page }) => {
  const url = await requestFormUrl(page, "adiado");
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  await page.route(/\/pack_request_form_part\.wasm$/, async (route) => {
    asked += 1;
    await gate;
    await route.continue();
  });
  const paths = recordRequests(page.context());
  await page.goto(url);
  await hydrated(page);
  const region = page.locator(".deferred");
  await expect(region).not.toHaveAttribute("data-ready");
  // Looking at the page (the search box above the form) asks for nothing more.
  await page.getByRole("searchbox", { name: "Pesquise aqui" }).hover();
  await page.waitForTimeout(500);
  expect(asked).toBe(0);
  expect(paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p))).toEqual([
    "atende_bg.wasm",
    "pack_request_page.wasm",
  ]);

  // The visitor starts, before the code is here: a wrong CPF, the field left, a CEP and
  // its lookup ("pesquisar", which needs the code), then the form sent.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByLabel("Natureza", { exact: true }).selectOption("F");
  const document = page.getByLabel("CPF ou CNPJ", { exact: true });
  await document.fill("529.982.247-24");
  await document.blur();
  await expect.poll(() => asked).toBe(1);
  await page.getByLabel("CEP", { exact: true }).fill("70040-020");
  await page.getByRole("button", { name: "pesquisar", exact: true }).click();
  await page.getByRole("button", { name: "Concluir" }).click();
  await page.waitForTimeout(300);
  await expect(region).not.toHaveAttribute("data-ready");
  await expect(page.locator("#documento-erro")).toHaveText("");
  await expect(page.getByLabel("Cidade", { exact: true })).toHaveValue("");

  // The code arrives: what was typed is kept and checked, the lookup is made, and the
  // send is answered in the page, as if the code had been there (no plain post: the same
  // document).
  release();
  await expect(region).toHaveAttribute("data-ready", "");
  await expect(document).toHaveValue("529.982.247-24");
  await expect(page.locator("#documento-erro")).toHaveText("CPF inválido: confira os 11 dígitos.");
  await expect(page.locator("#descricao-erro")).toHaveText("Campo obrigatório.");
  // The send saw what was typed: neither the nature nor the CEP is "missing" (a send that
  // ran before what was typed reached the form would have marked them and focused the
  // nature, whose mark would then stay).
  await expect(page.locator("#natureza-erro")).toHaveText("");
  await expect(page.locator("#cep-erro")).toHaveText("");
  await expect(page.getByLabel("Cidade", { exact: true })).toHaveValue("Brasília");
  await expect(page.getByLabel("Endereço", { exact: true })).toHaveValue("SBN Quadra 2");
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(paths.filter((p) => p.endsWith("pack_request_form_part.wasm"))).toHaveLength(1);

  await document.fill("529.982.247-25");
  await page.getByLabel("Número da fatura", { exact: true }).fill("2026-000123");
  await page.getByLabel("Descrição", { exact: true }).fill("A fatura de março veio em dobro.");
  await page.getByRole("button", { name: "Concluir" }).click();
  await expect(page.getByRole("dialog", { name: "Ticket(s) criado(s)" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

// "Meu perfil" likewise: its three forms are a part of their own. A notice turned off and
// a language chosen before that code arrives are what the form then saves.
test("the profile's forms come when the visitor starts on them; what was chosen meanwhile is saved", async ({ page }) => {
  const person = newPerson("perfiladiado");
  await register(page, person);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pack_profile_forms\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  const paths = recordRequests(page.context());
  await page.goto("/perfil");
  await hydrated(page);
  expect(paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p))).toEqual([
    "atende_bg.wasm",
    "pack_profile_page.wasm",
  ]);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByLabel("Ticket retomado").uncheck();
  await page.getByLabel("Idioma dos e-mails").selectOption("en");
  await page.waitForTimeout(300);
  await expect(page.locator(".deferred")).not.toHaveAttribute("data-ready");
  release();
  await expect(page.locator(".deferred")).toHaveAttribute("data-ready", "");
  await expect(page.getByLabel("Ticket retomado")).not.toBeChecked();
  await expect(page.getByLabel("Idioma dos e-mails")).toHaveValue("en");
  await page.getByRole("button", { name: "Salvar avisos" }).click();
  await expect(page.getByText("Avisos salvos.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await page.reload();
  await expect(page.getByLabel("Ticket retomado")).not.toBeChecked();
  await expect(page.getByLabel("Ticket reaberto")).toBeChecked();
  await expect(page.getByLabel("Idioma dos e-mails")).toHaveValue("en");
});

// "Meus Tickets": the list (total, table, pager) is a part of its own, hydrated when the
// visitor points at it or chooses another language; its links work meanwhile, as the
// server rendered them. A list the browser renders after a search says "Carregando…" until
// its code is here.
test("Meus Tickets' list comes when it is used; its links work and a search waits for it meanwhile", async ({ page }) => {
  const [first, second] = await withTwoTickets(page, "listadiada");
  let release = () => {};
  let gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pack_ticket_table\.wasm$/, async (route) => {
    await gate;
    // A request of a document left meanwhile is gone.
    await route.continue().catch(() => {});
  });
  const paths = recordRequests(page.context());
  const wasm = () => paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p));
  await page.goto("/meus-tickets");
  await hydrated(page);
  expect(wasm()).toEqual(["atende_bg.wasm", "pack_my_tickets_page.wasm"]);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const list = page.locator(".deferred");
  const numbers = () => page.locator("td.ticket-number").allTextContents();
  await expect.poll(numbers).toEqual([second, first]);

  // Another language asks for the list's code; the list follows once it is here.
  await page.getByRole("combobox", { name: "Idioma" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My Tickets");
  await expect.poll(wasm).toContain("pack_ticket_table.wasm");
  await expect(page.getByRole("columnheader", { name: "Prioridade" })).toBeVisible();
  await expect(list).not.toHaveAttribute("data-ready");
  release();
  await expect(list).toHaveAttribute("data-ready", "");
  await expect(page.getByRole("columnheader", { name: "Priority" })).toBeVisible();
  await page.getByRole("combobox", { name: "Language" }).selectOption("pt-BR");
  await expect(page.getByRole("columnheader", { name: "Prioridade" })).toBeVisible();

  // A fresh load: a ticket's link works before the list's code is here.
  gate = new Promise<void>((resolve) => (release = resolve));
  await page.goto("/meus-tickets");
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByRole("link", { name: first, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Ticket ${first}`);
  await expect(page.getByText("A fatura de maio não chegou.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // Another: a search sent before the list's code is here shows "Carregando…" in its place,
  // then the tickets found, in the same document.
  await page.goto("/meus-tickets");
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const search = page.getByRole("searchbox", { name: "Pesquise aqui por serviço, descrição ou número de solicitação" });
  await search.fill("boleto");
  await search.press("Enter");
  await expect(page).toHaveURL(/\/meus-tickets\?q=boleto$/);
  await expect(list.getByRole("status")).toHaveText("Carregando…");
  release();
  await expect(list).toHaveAttribute("data-ready", "");
  await expect.poll(numbers).toEqual([second]);
  await expect(page.getByText("1 ticket(s)")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

// "Solicitação de Acesso" likewise: the form is a part of its own, and the operation of
// the CAPTCHA the server rendered is the one the form answers once its code arrives.
test("the registration form's code comes when the visitor starts on it; what was typed and sent meanwhile is kept", async ({ page }) => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  await page.route(/\/pack_register_form\.wasm$/, async (route) => {
    asked += 1;
    await gate;
    await route.continue();
  });
  const paths = recordRequests(page.context());
  await page.goto("/cadastrar");
  await hydrated(page);
  const region = page.locator(".deferred");
  await expect(region).not.toHaveAttribute("data-ready");
  const operation = await page.locator(".captcha-operation").innerText();
  await page.getByRole("heading", { level: 1 }).hover();
  await page.waitForTimeout(500);
  expect(asked).toBe(0);
  expect(paths.filter((p) => p.endsWith(".wasm")).map((p) => path.basename(p))).toEqual([
    "atende_bg.wasm",
    "pack_register_page.wasm",
  ]);

  // Everything typed and the form sent before the code is here; the password typed twice
  // differently first, to see the send checked in the page once the code comes.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const person = newPerson("cadadiado");
  await fillRegistration(page, person);
  await expect.poll(() => asked).toBe(1);
  await page.getByLabel("Digite novamente a senha", { exact: true }).fill("outrasenha1");
  await solveCaptcha(page);
  await page.getByRole("button", { name: "Solicitar acesso" }).click();
  await page.waitForTimeout(300);
  await expect(region).not.toHaveAttribute("data-ready");
  await expect(page).toHaveURL(/\/cadastrar$/);

  // The code arrives: the same operation, what was typed kept, and the send answered in
  // the page: the passwords differ.
  release();
  await expect(region).toHaveAttribute("data-ready", "");
  expect(await page.locator(".captcha-operation").innerText()).toBe(operation);
  await expect(page.getByLabel("Login", { exact: true })).toHaveValue(person.login);
  await expect(page.locator("#senha-confirmacao-erro")).not.toHaveText("");
  await expect(page).toHaveURL(/\/cadastrar$/);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  await page.getByLabel("Digite novamente a senha", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Solicitar acesso" }).click();
  await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(paths.filter((p) => p.endsWith("pack_register_form.wasm"))).toHaveLength(1);
  await login(page, person.login, person.password);
  await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
});

test.describe("a pack that cannot be downloaded", () => {
  // Chromium logs each refused request as an error, and the split loader each failed load
  // (one regular expression: a second would read as Playwright's options).
  test.use({
    expectedConsoleErrors: [/^(Failed to load resource: net::ERR_(FAILED|CONNECTION_RESET)|TypeError: Failed to fetch)/],
  });

  /** Refuses the first `refusals` requests for the pack (all of them by default). */
  async function refuse(page: Page, pack: RegExp, refusals = Infinity): Promise<() => number> {
    let asked = 0;
    await page.route(pack, async (route) => {
      asked += 1;
      if (asked <= refusals) await route.abort("connectionreset");
      else await route.continue();
    });
    return () => asked;
  }

  test("a dropped download is tried again, and the page hydrates", async ({ page }) => {
    const asked = await refuse(page, /\/pack_login_page\.wasm$/, 1);
    await page.goto("/entrar");
    await hydrated(page);
    expect(asked()).toBe(2);
    // The page's own code runs: the form is checked in the page, beside the field.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole("button", { name: "ENTRAR" }).click();
    await expect(page.locator("#usuario-erro")).toHaveText("Campo obrigatório.");
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  });

  test("the first page stays as the server sent it, and its form still signs in", async ({ page }) => {
    const person = newPerson("semwasm");
    await register(page, person);
    const asked = await refuse(page, /\/pack_login_page\.wasm$/);
    await page.goto("/entrar");
    await expect.poll(asked).toBe(2);
    // Given up after the second attempt: no third request, no hydration.
    await page.waitForTimeout(2_500);
    expect(asked()).toBe(2);
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    await page.getByLabel("Insira o seu usuário").fill(person.login);
    await page.getByLabel("Insira sua senha").fill(person.password);
    await page.getByRole("button", { name: "ENTRAR" }).click();
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
    await hydrated(page);
  });

  test("a page opened later is loaded from the server, and Back returns", async ({ page }) => {
    const person = newPerson("semparte");
    await register(page, person);
    await login(page, person.login, person.password);
    await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
    await page.goto("/portal");
    await hydrated(page);
    const asked = await refuse(page, /\/pack_portfolio_page\.wasm$/);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole("link", { name: new RegExp(PORTFOLIO) }).click();
    await expect(page).toHaveURL(/\/portal\/[^/]+$/);
    await expect(page.getByRole("link", { name: /^FATURAMENTO/ })).toBeVisible();
    // A new document: the app's own navigation gave way to a whole page load.
    await expect.poll(() => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBeUndefined();
    expect(asked()).toBeGreaterThanOrEqual(2);
    await page.goBack();
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole("link", { name: new RegExp(PORTFOLIO) })).toBeVisible();
  });

  test("a request form whose own code cannot be had is sent as a plain post", async ({ page }) => {
    const url = await requestFormUrl(page, "semform");
    const asked = await refuse(page, /\/pack_request_form_part\.wasm$/);
    await page.goto(url);
    await hydrated(page);
    await page.getByLabel("Natureza", { exact: true }).selectOption("F");
    await page.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-25");
    await completeRequest(page);
    await expect.poll(asked).toBe(2);
    await page.getByRole("button", { name: "Concluir" }).click();
    // The server's answer to the plain post: the ticket's page with the pop-up.
    const popup = page.getByRole("dialog", { name: "Ticket(s) criado(s)" });
    await expect(popup).toBeVisible();
    await expect(page).toHaveURL(/\/meus-tickets\/\d+\?criado=1$/);
  });

  test("a registration form whose own code cannot be had is sent as a plain post", async ({ page }) => {
    const asked = await refuse(page, /\/pack_register_form\.wasm$/);
    await page.goto("/cadastrar");
    await hydrated(page);
    const person = newPerson("semcadastro");
    await fillRegistration(page, person);
    await solveCaptcha(page);
    await expect.poll(asked).toBe(2);
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
    await login(page, person.login, person.password);
    await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
  });

  test("a search whose list's code cannot be had is loaded from the server", async ({ page }) => {
    const [first, second] = await withTwoTickets(page, "semlista");
    await refuse(page, /\/pack_ticket_table\.wasm$/);
    await page.goto("/meus-tickets");
    await hydrated(page);
    await expect(page.locator("td.ticket-number")).toHaveText([second, first]);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const search = page.getByRole("searchbox", { name: "Pesquise aqui por serviço, descrição ou número de solicitação" });
    await search.fill("maio");
    await search.press("Enter");
    await expect(page).toHaveURL(/\/meus-tickets\?q=maio$/);
    await expect.poll(() => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBeUndefined();
    await expect(page.locator("td.ticket-number")).toHaveText([first]);
    await expect(search).toHaveValue("maio");
  });

  test("a ticket's tab whose code cannot be had is loaded from the server", async ({ page }) => {
    const person = newPerson("semaba");
    await register(page, person);
    await login(page, person.login, person.password);
    await expect(page.getByText(`Olá, ${person.name}`)).toBeVisible();
    const number = await openRequest(page, "A fatura de abril não chegou.");
    await page.goto(`/meus-tickets/${number}`);
    await hydrated(page);
    await refuse(page, /\/pack_ticket_tabs\.wasm$/);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole("link", { name: "Histórico" }).click();
    await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}\\?aba=historico$`));
    await expect(page.locator("table.history")).toContainText("Aberto");
    await expect.poll(() => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBeUndefined();
  });
});
