// The staff desk in Chromium, with the customer on the other side: an agent of
// "1º Nível - NUATE" finds a new ticket in the queue, captures it, writes an internal
// note (no trace of it on the customer's side: page, HTML and raw responses), replies,
// suspends; the customer sees "Suspensa" and answers, which resumes it; the agent
// reclassifies (priority and deadline change) and forwards it to a second group, where
// another agent resolves it; the customer sees "Solução" and rates it. A colleague's
// stale action is refused with the reload message and keeps what was typed.
import { execFileSync } from "node:child_process";
import { Browser, Page } from "@playwright/test";
import { atendeBinary, atendeEnv, baseURL } from "../env";
import { test, expect, hydrated, severeViolations } from "./fixtures";
import { call, createStaff, login, newPerson, openRequest, register } from "./helpers";

function cli(args: string[], stdin = "") {
  return execFileSync(atendeBinary, args, { env: atendeEnv, encoding: "utf8", input: stdin });
}

async function signedIn(browser: Browser, user: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "pt-BR" });
  const page = await context.newPage();
  await login(page, user, password);
  // Staff land on their queue.
  await expect(page).toHaveURL(/\/fila$/);
  return page;
}

/** Opens an action's tab of the workspace and waits for the page to be live. */
async function actionTab(page: Page, number: string, name: string) {
  await page.goto(`/fila/${number}`);
  await hydrated(page);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
}

async function done(page: Page, name: string) {
  await expect(page.getByRole("status").filter({ hasText: `${name} – Ação registrada.` })).toBeVisible();
}

test("an agent works a ticket from the queue to its solution", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const billing = `2º Nível - Faturamento ${stamp}`;
  cli(["group", "create", billing]);
  createStaff(`ana${stamp}`, "Ana Atendente", "agent", "1º Nível - NUATE");
  createStaff(`bia${stamp}`, "Bia Atendente", "agent", "1º Nível - NUATE");
  createStaff(`caio${stamp}`, "Caio Faturista", "agent", billing);

  // The customer opens a request.
  const maria = newPerson("desk");
  await register(page, maria);
  await login(page, maria.login, maria.password);
  await expect(page.getByText(`Olá, ${maria.name}`)).toBeVisible();
  const number = await openRequest(page, "A fatura de outubro veio com o valor errado.");

  // Ana lands on her queue and finds it, unassigned.
  const ana = await signedIn(browser, `ana${stamp}`, "equipe1234");
  await expect(ana).toHaveURL(/\/fila$/);
  await expect(ana.getByRole("heading", { name: "Fila de atendimento" })).toBeVisible();
  await expect(ana.getByRole("link", { name: "Fila de atendimento" })).toBeVisible();
  const search = ana.getByLabel("Pesquisar por número, cliente, login, CPF/CNPJ ou palavra");
  await search.fill(maria.login);
  await ana.getByRole("button", { name: "Filtrar" }).click();
  await expect(ana).toHaveURL(new RegExp(`/fila\\?q=${maria.login}`));
  const row = ana.getByRole("row", { name: new RegExp(`^${number} `) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(6)).toHaveText("Sem responsável");
  expect(await severeViolations(ana)).toEqual([]);
  await row.getByRole("link", { name: number }).click();
  await expect(ana).toHaveURL(new RegExp(`/fila/${number}$`));

  // Bia opens the same ticket to write a note, and will be late.
  const bia = await signedIn(browser, `bia${stamp}`, "equipe1234");
  await actionTab(bia, number, "Nota interna");

  // Capturar.
  await actionTab(ana, number, "Capturar");
  await ana.getByRole("button", { name: "Capturar", exact: true }).click();
  await done(ana, "Capturar");
  await expect(ana.locator(".ticket-assignee")).toHaveText("Ana Atendente");

  // Bia's note is refused as stale; her text stays; after reloading it goes through.
  const late = bia.getByLabel("Nota interna (somente equipe)");
  await late.fill("Já liguei para a cliente.");
  await bia.getByRole("button", { name: "Nota interna", exact: true }).click();
  await expect(bia.getByRole("alert")).toHaveText("Este ticket foi alterado por outra pessoa — recarregue");
  await expect(late).toHaveValue("Já liguei para a cliente.");
  await bia.getByRole("button", { name: "Recarregar" }).click();
  await expect(bia.locator(".ticket-assignee")).toHaveText("Ana Atendente");
  await expect(bia.getByLabel("Nota interna (somente equipe)")).toHaveValue("Já liguei para a cliente.");
  await bia.getByRole("button", { name: "Nota interna", exact: true }).click();
  await done(bia, "Nota interna");

  // Nota interna by Ana: staff only.
  const secret = "Cliente reclamou antes; ver contrato 4471";
  await actionTab(ana, number, "Nota interna");
  await ana.getByLabel("Nota interna (somente equipe)").fill(secret);
  await ana.getByRole("button", { name: "Nota interna", exact: true }).click();
  await done(ana, "Nota interna");
  await expect(ana.locator(".history-internal").filter({ hasText: secret })).toBeVisible();
  await page.goto(`/meus-tickets/${number}?aba=historico`);
  await hydrated(page);
  await expect(page.locator("main")).not.toContainText("4471");
  await expect(page.locator("main")).not.toContainText("Já liguei");
  await expect(page.locator("main")).not.toContainText("Ana Atendente");
  const html = await (await page.request.get(`/meus-tickets/${number}?aba=historico`)).text();
  expect(html).not.toContain("4471");
  const raw = await (await call(page.request, "ticket", { number: Number(number) })).text();
  expect(raw).not.toContain("4471");
  expect(raw).not.toContain("Já liguei");
  const found = await (
    await call(page.request, "my-tickets", {
      filter: { query: "contrato", situation: null, sort: "Created", ascending: false, page: 1 },
    })
  ).json();
  expect(found.total).toBe(0);

  // Responder ao cliente, then Suspender with a reason.
  await actionTab(ana, number, "Responder ao cliente");
  await ana.getByLabel("Resposta ao cliente").fill("Estamos verificando a sua fatura.");
  await ana.getByRole("button", { name: "Responder ao cliente", exact: true }).click();
  await done(ana, "Responder ao cliente");
  await actionTab(ana, number, "Suspender");
  await ana.getByLabel("Motivo").fill("Aguardando a segunda via da fatura.");
  await ana.getByRole("button", { name: "Suspender", exact: true }).click();
  await done(ana, "Suspender");
  await expect(ana.locator(".ticket-situation")).toHaveText("Suspensa");

  // The customer sees both, and answers with a note: the ticket is back in progress.
  await page.goto(`/meus-tickets/${number}?aba=historico`);
  await hydrated(page);
  await expect(page.locator(".ticket-situation")).toHaveText("Suspensa");
  await expect(page.getByText("Estamos verificando a sua fatura.")).toBeVisible();
  await expect(page.getByText("Aguardando a segunda via da fatura.")).toBeVisible();
  await page.getByRole("link", { name: "Anotação" }).click();
  await page.getByLabel("Anotação").fill("Segue a segunda via em anexo ao e-mail.");
  await page.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(page.locator(".ticket-situation")).toHaveText("Em Andamento");

  // Reclassificar: priority 1 and an 8-hour SLA where there was none.
  await actionTab(ana, number, "Reclassificar");
  await expect(ana.locator(".ticket-situation")).toHaveText("Em Andamento");
  await expect(ana.locator(".ticket-deadline")).toHaveText("—");
  const before = await ana.locator(".ticket-priority").innerText();
  await ana.getByLabel("Atividade").selectOption({ label: "FATURAMENTO / Segunda via de fatura" });
  await ana.getByLabel("Impacto").selectOption("1");
  await ana.getByLabel("Urgência").selectOption("1");
  await expect(ana.locator(".priority-preview")).toHaveText("Nova prioridade: 1 – Crítica");
  await ana.getByRole("button", { name: "Reclassificar", exact: true }).click();
  await done(ana, "Reclassificar");
  await expect(ana.locator(".ticket-priority")).toHaveText("1 – Crítica");
  expect(before).not.toBe("1 – Crítica");
  await expect(ana.locator(".ticket-deadline")).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);

  // Encaminhar to the second group, with a note: read-only for Ana from then on.
  await actionTab(ana, number, "Encaminhar");
  await ana.getByLabel("Grupo de destino").selectOption({ label: billing });
  await ana.getByRole("button", { name: "Encaminhar", exact: true }).click();
  await expect(ana.locator("#anotacao-erro")).toHaveText("Campo obrigatório.");
  await ana.getByLabel("Justificativa do encaminhamento").fill("Ajuste de valor é com o Faturamento.");
  await ana.getByRole("button", { name: "Encaminhar", exact: true }).click();
  await done(ana, "Encaminhar");
  await expect(ana.getByText("Somente leitura")).toBeVisible();

  // Caio, of that group, resolves it.
  const caio = await signedIn(browser, `caio${stamp}`, "equipe1234");
  await expect(caio).toHaveURL(/\/fila$/);
  await expect(caio.getByRole("row", { name: new RegExp(`^${number} `) })).toBeVisible();
  await actionTab(caio, number, "Resolver");
  await caio.getByLabel("Solução").fill("Fatura reemitida com o valor correto.");
  await caio.getByRole("button", { name: "Resolver", exact: true }).click();
  await done(caio, "Resolver");
  await expect(caio.locator(".ticket-situation")).toHaveText("Fechada");

  // The customer sees the solution and rates it.
  await page.goto(`/meus-tickets/${number}?aba=solucao`);
  await hydrated(page);
  await expect(page.locator(".ticket-solution")).toHaveText("Fatura reemitida com o valor correto.");
  await page.getByRole("link", { name: "Pesquisa de satisfação" }).click();
  await hydrated(page);
  await page.getByLabel("Nota").selectOption("5");
  await page.getByRole("button", { name: "Enviar" }).click();
  await expect(page.locator(".current-rating")).toContainText("5/5");
});

test.describe("customers", () => {
  // The desk answers a customer 404, which the browser logs.
  test.use({ expectedConsoleErrors: [/404/] });
  test("never reach the desk", async ({ page }) => {
    const p = newPerson("fora");
    await register(page, p);
    await login(page, p.login, p.password);
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole("link", { name: "Fila de atendimento" })).toHaveCount(0);
    const response = await page.goto("/fila");
    expect(response?.status()).toBe(404);
  });
});
