// Comfortable on any screen (issue 14): nothing wider than the viewport at 320, 390, 768
// and 1280 px on the customer's and the staff's pages, "Meus Tickets" with its twelve
// values and the queue with all of its (a table at 1280 px without a horizontal scroll, a
// labelled card per ticket below; the administration's lists likewise), icons drawn as
// SVG, the sign-in page complete without the bundle, and the bundle's files kept by the
// browser between pages.
import { execFileSync } from "node:child_process";
import { Page } from "@playwright/test";
import { atendeBinary, atendeEnv, baseURL } from "../env";
import { test, expect, hydrated } from "./fixtures";
import { createStaff, login, newPerson, openRequest, register } from "./helpers";

const WIDTHS = [320, 390, 768, 1280];

/** The seed's twelve columns of "Meus Tickets", in its order. */
const COLUMNS = [
  "Ticket",
  "Tipo",
  "Serviço",
  "Solicitação",
  "Criada em",
  "Tarefa",
  "Grupo atual",
  "Situação",
  "SLA",
  "Prazo limite",
  "Status do SLA",
  "Prioridade",
];

/**
 * Every visible element that reaches past the viewport's right or left edge, and the
 * document itself when it scrolls sideways: one line each.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      found.push(`the document scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    }
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") continue;
      // Deliberately off-screen until focused (the skip link); what is visually hidden
      // is still checked: clipped to nothing, it must not widen the page either.
      if (el.closest(".skip-link")) continue;
      const box = el.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) continue;
      // Content that spills out of its box (a long word, a row wider than its cell).
      if (!el.closest(".visually-hidden") && style.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && box.left + el.scrollWidth > width + 0.5) {
        found.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\s+/g, ".")} spills to ${Math.round(box.left + el.scrollWidth)} of ${width}: ${(el.textContent ?? "").trim().slice(0, 40)}`);
      }
      if (box.right > width + 0.5 || box.left < -0.5) {
        const name = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : ""}`;
        found.push(`${name} spans ${Math.round(box.left)}–${Math.round(box.right)} of ${width}: ${(el.textContent ?? "").trim().slice(0, 40)}`);
      }
    }
    return found;
  });
}

/**
 * Every value of a list shown as cards (a table whose cells are no longer table cells)
 * that is not labelled with its column's name: one line each.
 */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const table of Array.from(document.querySelectorAll("table"))) {
      const first = table.querySelector("tbody td");
      if (!first || getComputedStyle(first).display === "table-cell") continue;
      const headers = Array.from(table.querySelectorAll("thead th")).map((th) => {
        const hidden = th.querySelector(".visually-hidden");
        const text = (th.textContent ?? "").trim();
        // A column named for screen readers only (a row's button): nothing to label.
        return hidden && (hidden.textContent ?? "").trim() === text ? null : text;
      });
      for (const row of Array.from(table.querySelectorAll("tbody tr"))) {
        Array.from(row.children).forEach((cell, i) => {
          const expected = headers[i];
          if (!expected) return;
          const label = getComputedStyle(cell, "::before").content;
          if (label !== `"${expected}"`) {
            found.push(`table.${table.className.trim().replace(/\s+/g, ".")} column ${i}: ${label} instead of "${expected}"`);
          }
        });
      }
    }
    return found;
  });
}

test("the customer's pages fit every width, and Meus Tickets keeps its twelve values", async ({ page }) => {
  test.setTimeout(120_000);
  const maria = newPerson("tela");
  await register(page, maria);
  await login(page, maria.login, maria.password);
  await expect(page.getByText(`Olá, ${maria.name}`)).toBeVisible();
  // One ticket open, one closed (the closed one has the most row actions).
  const open = await openRequest(page, "Conta de outubro cobrada em duplicidade, conferir a fatura.");
  const closed = await openRequest(page, "Leitura do medidor diferente da fatura.");
  // A file with a long name on the open ticket: its attachments' list must fit too.
  await page.goto(`/meus-tickets/${open}?aba=anexos`);
  await hydrated(page);
  await page.getByLabel("Arraste arquivos aqui ou clique para realizar upload.").setInputFiles({
    name: "comprovante_de_pagamento_da_fatura_de_outubro_conta_contrato_0012345678.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Pago em 10/10.\n"),
  });
  await expect(page.locator(".upload-list")).toContainText("Enviado");
  await page.getByRole("button", { name: "Anexar arquivos" }).click();
  await expect(page.locator("table.attachments-table")).toContainText("comprovante_de_pagamento");
  execFileSync(atendeBinary, ["ticket", "close", closed, "--solution", "Leitura corrigida."], {
    env: atendeEnv,
    encoding: "utf8",
  });
  await page.goto("/portal");
  const activity = await page.evaluate(async () => {
    const hits = await (
      await fetch("/api/portal-search", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "correcao de faturas" }),
      })
    ).json();
    return `/portal/${hits[0].portfolio.id}/${hits[0].service.id}/${hits[0].activity.id}`;
  });

  const pages = ["/", "/portal", activity, "/meus-tickets", `/meus-tickets/${open}`, `/meus-tickets/${closed}?aba=historico`, `/meus-tickets/${open}?aba=anexos`, "/perfil"];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of pages) {
      await page.goto(path);
      await hydrated(page);
      expect(await overflowing(page), `${path} at ${width} px`).toEqual([]);
    }

    // Meus Tickets: each ticket's twelve values, each visible, in the seed's order.
    await page.goto("/meus-tickets");
    await hydrated(page);
    const row = page.locator("table.tickets tbody tr").filter({ hasText: open }).first();
    const cells = row.locator("td");
    await expect(cells).toHaveCount(COLUMNS.length + 1);
    const narrow = await page.evaluate(() => getComputedStyle(document.querySelector("table.tickets td")!).display !== "table-cell");
    for (const [i, column] of COLUMNS.entries()) {
      const cell = cells.nth(i);
      await expect(cell, `${column} at ${width} px`).toBeVisible();
      expect((await cell.innerText()).trim(), `${column} at ${width} px`).not.toEqual("");
      if (narrow) {
        // A card: each value is labelled with its column's name.
        const label = await cell.evaluate((td) => getComputedStyle(td, "::before").content);
        expect(label, `${column}'s label at ${width} px`).toEqual(`"${column}"`);
      }
    }
    await expect(cells.first()).toContainText(open);
    if (width >= 1280) {
      // The table itself, every header in sight, without a scroll inside the card.
      expect(narrow, "a table at 1280 px").toBe(false);
      const headers = page.locator("table.tickets thead th");
      for (const [i, column] of COLUMNS.entries()) {
        await expect(headers.nth(i)).toHaveText(column);
        await expect(headers.nth(i)).toBeInViewport();
      }
      const scroll = await page.locator(".table-scroll").first().evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(scroll, "horizontal scroll inside the card").toBeLessThanOrEqual(0);
    } else if (width <= 390) {
      expect(narrow, `cards at ${width} px`).toBe(true);
    }
  }
});

test("the staff's pages fit every width, and the queue is a table at 1280 px and cards on a phone", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  createStaff(`tela${stamp}`, `Equipe tela${stamp}`, "agent", "1º Nível - NUATE");
  createStaff(`adm${stamp}`, `Equipe adm${stamp}`, "admin");
  const maria = newPerson("telaequipe");
  await register(page, maria);
  await login(page, maria.login, maria.password);
  await expect(page.getByText(`Olá, ${maria.name}`)).toBeVisible();
  const number = await openRequest(page, "Conta de outubro cobrada em duplicidade, conferir a fatura e devolver.");

  const staffPage = async (user: string) => {
    const context = await browser.newContext({ baseURL, locale: "pt-BR" });
    const staff = await context.newPage();
    await login(staff, user, "equipe1234");
    await expect(staff.getByText(`Olá, Equipe ${user}`)).toBeVisible();
    return staff;
  };
  const agent = await staffPage(`tela${stamp}`);
  const admin = await staffPage(`adm${stamp}`);
  const pages: [Page, string][] = [
    [agent, "/fila"],
    [agent, `/fila?q=${maria.login}`],
    [agent, `/fila/${number}`],
    [agent, `/fila/${number}?acao=reclassificar`],
    [agent, `/fila/${number}?acao=encaminhar`],
    [admin, "/admin/usuarios"],
    [admin, "/admin/sla"],
    [admin, "/admin/catalogo"],
    [admin, "/admin/auditoria"],
    [admin, "/admin/configuracoes"],
  ];
  for (const width of WIDTHS) {
    for (const [who, path] of pages) {
      await who.setViewportSize({ width, height: 800 });
      await who.goto(path);
      await hydrated(who);
      expect.soft(await overflowing(who), `${path} at ${width} px`).toEqual([]);
      expect.soft(await unlabelled(who), `${path}'s cards at ${width} px`).toEqual([]);
      if (width >= 1280) {
        // Every list whole in its card: no scroll inside it either.
        const scrolled = await who.locator(".table-scroll").evaluateAll((all) => all.map((el) => el.scrollWidth - el.clientWidth).filter((d) => d > 0));
        expect.soft(scrolled, `${path}: lists scrolled sideways at ${width} px`).toEqual([]);
      }
    }
    // The queue: every value of the ticket visible, labelled on a card below the breakpoint.
    await agent.goto(`/fila?q=${maria.login}`);
    await hydrated(agent);
    const row = agent.locator("table.tickets tbody tr").filter({ hasText: number }).first();
    const cells = row.locator("td");
    const count = await cells.count();
    expect(count, "the queue's columns").toBeGreaterThan(5);
    const narrow = await agent.evaluate(() => getComputedStyle(document.querySelector("table.tickets td")!).display !== "table-cell");
    const headers = await agent.locator("table.tickets thead th").allInnerTexts();
    for (let i = 0; i < count; i++) {
      await expect(cells.nth(i), `column ${i} at ${width} px`).toBeVisible();
      if (narrow && headers[i]?.trim()) {
        const label = await cells.nth(i).evaluate((td) => getComputedStyle(td, "::before").content);
        expect(label, `column ${i}'s label at ${width} px`).toEqual(`"${headers[i].trim()}"`);
      }
    }
    if (width >= 1280) {
      expect(narrow, "a table at 1280 px").toBe(false);
      const scroll = await agent.locator(".table-scroll").first().evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(scroll, "horizontal scroll inside the queue's card").toBeLessThanOrEqual(0);
    } else if (width <= 390) {
      expect(narrow, `cards at ${width} px`).toBe(true);
    }
  }
});

test("the ticket's tabs and the list's actions are SVG icons beside text, never font characters", async ({ page }) => {
  const joao = newPerson("icone");
  await register(page, joao);
  await login(page, joao.login, joao.password);
  await expect(page.getByText(`Olá, ${joao.name}`)).toBeVisible();
  const number = await openRequest(page, "Pedido de segunda via da fatura de setembro.");
  await page.goto(`/meus-tickets/${number}`);
  await hydrated(page);
  const tabs = page.locator("nav.tabs a");
  await expect(tabs).toHaveText(["Descrição", "Anexos", "Anotação", "Histórico"].map((t) => new RegExp(`^\\s*${t}\\s*$`)));
  for (const tab of await tabs.all()) {
    await expect(tab.locator("svg[aria-hidden='true'] path")).toHaveCount(1);
    // The text is the label alone: no symbol that a phone's fonts might lack.
    expect((await tab.innerText()).trim()).toMatch(/^[\p{L} ]+$/u);
  }
  await page.goto("/meus-tickets");
  await hydrated(page);
  const buttons = page.locator("table.tickets tbody tr").first().locator(".row-actions a");
  expect(await buttons.count()).toBeGreaterThan(0);
  for (const button of await buttons.all()) {
    await expect(button.locator("svg[aria-hidden='true']")).toHaveCount(1);
    expect((await button.innerText()).trim()).toEqual("");
    expect(await button.getAttribute("aria-label")).toMatch(/ do ticket /);
  }
});

/** The page's text as rendered, without what only one of the two states shows. */
async function renderedText(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const el of Array.from(body.querySelectorAll("script, style, template, .js-only, .no-js-only"))) el.remove();
    return (body.textContent ?? "").replace(/\s+/g, " ").trim();
  });
  // The registration's arithmetic question is new on every load.
  return new URL(page.url()).pathname === "/cadastrar" ? text.replace(/\d+/g, "N") : text;
}

test("every page is complete as the server sends it: hydration changes no text", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const ana = newPerson("completa");
  await register(page, ana);
  await login(page, ana.login, ana.password);
  await expect(page.getByText(`Olá, ${ana.name}`)).toBeVisible();
  const number = await openRequest(page, "Fatura de agosto sem o desconto da tarifa social.");
  const noJs = await browser.newContext({
    javaScriptEnabled: false,
    locale: "pt-BR",
    storageState: await page.context().storageState(),
  });
  const bare = await noJs.newPage();
  // Each page as the server sends it (no JavaScript), then once hydrated: the same text.
  const sameText = async (paths: string[]) => {
    for (const path of paths) {
      await bare.goto(path);
      const served = await renderedText(bare);
      await page.goto(path);
      await hydrated(page);
      expect(await renderedText(page), path).toEqual(served);
    }
  };
  await sameText(["/", "/portal", "/meus-tickets", `/meus-tickets/${number}`, `/meus-tickets/${number}?aba=historico`, "/perfil"]);
  // Signed out: the sign-in and registration pages.
  await noJs.clearCookies();
  await page.context().clearCookies();
  await sameText(["/entrar", "/cadastrar", "/esqueci-senha"]);
  await noJs.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in page is complete as the server sends it", async ({ page }) => {
    await page.goto("/entrar");
    const domain = page.locator("select#dominio option");
    await expect(domain).toHaveCount(1);
    expect((await domain.textContent())?.trim()).not.toEqual("");
    const html = await (await page.request.get("/entrar")).text();
    expect(html).toMatch(/<select id="dominio" name="dominio"[^>]*><option value="[^"]+" selected[^>]*>[^<]+(<!>)?<\/option>/);
  });
});

test("a returning visitor downloads the bundle once: its files are kept for good", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const fetched: { url: string; cached: boolean; cacheControl: string }[] = [];
  const cachedIds = new Set<string>();
  cdp.on("Network.requestServedFromCache", (e) => cachedIds.add(e.requestId));
  cdp.on("Network.responseReceived", (e) => {
    if (!new URL(e.response.url).pathname.startsWith("/pkg/")) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    fetched.push({
      url: e.response.url,
      cached: e.response.fromDiskCache || cachedIds.has(e.requestId),
      cacheControl: headers["cache-control"] ?? "",
    });
  });

  await page.goto("/entrar");
  await hydrated(page);
  const first = fetched.splice(0);
  expect(first.map((f) => new URL(f.url).pathname)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\/pkg\/[0-9a-f]{16}\/atende\.js$/), expect.stringMatching(/^\/pkg\/[0-9a-f]{16}\/atende_bg\.wasm$/), expect.stringMatching(/^\/pkg\/[0-9a-f]{16}\/atende\.css$/)]),
  );
  for (const file of first) expect(file.cacheControl, file.url).toContain("immutable");

  // The same page and then another, loaded anew: every file already fetched comes from
  // the browser's cache alone (the other page may need parts of its own).
  const seen = new Set(first.map((f) => f.url));
  for (const path of ["/entrar", "/cadastrar"]) {
    await page.goto(path);
    await hydrated(page);
    const again = fetched.splice(0).filter((f) => seen.has(f.url));
    expect(again.length, `files of /entrar fetched again by ${path}`).toBeGreaterThan(2);
    for (const file of again) expect(file.cached, `${file.url} from the cache on ${path}`).toBe(true);
  }
  // The page itself is asked for every time.
  const response = await page.request.get("/cadastrar");
  expect(response.headers()["cache-control"]).toEqual("no-cache, private");
});
