// "Meus Tickets", continuing the seed's journey: the list with its search, filters and
// order in the URL, the actions on an open ticket, closing through the CLI, the actions
// on a closed one, and the windows after moving the server's clock.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Page } from "@playwright/test";
import { atendeBinary, atendeEnv, clockOffsetFile } from "../env";
import { test, expect, hydrated, severeViolations } from "./fixtures";
import { call, login, newPerson, openRequest, register } from "./helpers";

function moveClock(hours: number) {
  fs.mkdirSync(path.dirname(clockOffsetFile), { recursive: true });
  fs.writeFileSync(clockOffsetFile, String(Math.round(hours * 3600)));
}

function closeTicket(number: string, solution: string) {
  execFileSync(atendeBinary, ["ticket", "close", number, "--solution", solution], { env: atendeEnv, encoding: "utf8" });
}

const rowOf = (page: Page, number: string) => page.getByRole("row", { name: new RegExp(`^${number} `) });
const numbersShown = async (page: Page) =>
  (await page.locator("table.tickets tbody tr td.ticket-number").allInnerTexts()).map((t) => t.trim());

test.afterEach(() => moveClock(0));

test("a customer follows, annotates, closes, rates and reopens a ticket", async ({ page }) => {
  test.setTimeout(90_000);
  const p = newPerson("segue");
  await register(page, p);
  await login(page, p.login, p.password);
  await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
  const first = await openRequest(page, "A fatura de outubro veio com o valor errado.");
  const second = await openRequest(page, "O boleto de novembro não chegou pelo correio.");

  // The list: defaults Em Andamento, Data/Hora Criação, DESC; newest first.
  await page.goto("/meus-tickets");
  await hydrated(page);
  await expect(page.getByLabel("Situação")).toHaveValue("em_andamento");
  await expect(page.getByLabel("Ordenar Por")).toHaveValue("criacao");
  await expect(page.getByLabel("Ordem")).toHaveValue("desc");
  expect(await numbersShown(page)).toEqual([second, first]);
  expect(await severeViolations(page)).toEqual([]);
  const row = rowOf(page, first);
  const cells = row.getByRole("cell");
  await expect(cells.nth(2)).toHaveText("FATURAMENTO");
  await expect(cells.nth(3)).toHaveText("Correção de Faturas");
  await expect(cells.nth(5)).toHaveText("Triagem");
  await expect(cells.nth(6)).toHaveText("1º Nível - NUATE");
  await expect(cells.nth(11)).toHaveText("5");
  await expect(cells.nth(4)).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  // The rows follow the language, values and column names alike, without a reload.
  await page.getByRole("combobox", { name: "Idioma" }).selectOption("en");
  await expect(cells.nth(7)).toHaveText("In progress");
  await expect(cells.nth(7)).toHaveAttribute("data-label", "Situation");
  expect(await numbersShown(page)).toEqual([second, first]);
  await page.getByRole("combobox", { name: "Language" }).selectOption("pt-BR");
  await expect(cells.nth(7)).toHaveText("Em Andamento");
  await expect(cells.nth(7)).toHaveAttribute("data-label", "Situação");

  // Search by number, by service and by a word of the description; the URL keeps it.
  const search = page.getByRole("searchbox", { name: "Pesquise aqui por serviço, descrição ou número de solicitação" });
  await search.fill(first);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/meus-tickets\\?q=${first}$`));
  await expect.poll(() => numbersShown(page)).toEqual([first]);
  await search.fill("faturamento");
  await search.press("Enter");
  await expect.poll(() => numbersShown(page)).toEqual([second, first]);
  await search.fill("BOLETO");
  await search.press("Enter");
  await expect.poll(() => numbersShown(page)).toEqual([second]);
  await page.reload();
  await hydrated(page);
  await expect(search).toHaveValue("BOLETO");
  await expect.poll(() => numbersShown(page)).toEqual([second]);
  await page.goBack();
  await expect.poll(() => numbersShown(page)).toEqual([second, first]);

  // Sort both ways.
  await page.goto("/meus-tickets");
  await hydrated(page);
  await page.getByLabel("Ordenar Por").selectOption("numero");
  await expect(page).toHaveURL(/ordenar=numero/);
  await expect.poll(() => numbersShown(page)).toEqual([second, first]);
  await page.getByLabel("Ordem").selectOption("asc");
  await expect(page).toHaveURL(/ordenar=numero&ordem=asc/);
  await expect.poll(() => numbersShown(page)).toEqual([first, second]);

  // Row actions are icon buttons with a name and a tooltip.
  const note = rowOf(page, first).getByRole("link", { name: `Anotação do ticket ${first}` });
  await expect(note).toHaveAttribute("title", `Anotação do ticket ${first}`);
  await note.click();
  await expect(page).toHaveURL(new RegExp(`/meus-tickets/${first}\\?aba=anotacao$`));
  await hydrated(page);
  await page.getByLabel("Anotação", { exact: true }).fill("A fatura é a de número 2026-000123.");
  await page.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(page.getByLabel("Anotação", { exact: true })).toHaveValue("");
  await page.getByRole("link", { name: "Histórico" }).click();
  const history = page.locator("table.history tbody tr");
  await expect(history).toHaveCount(2);
  await expect(history.nth(1)).toContainText("A fatura é a de número 2026-000123.");
  await expect(history.nth(1)).toContainText(p.name);
  expect(await severeViolations(page)).toEqual([]);

  // A file added to the open ticket, listed and downloadable.
  await page.getByRole("link", { name: "Anexos" }).click();
  await hydrated(page);
  const text = Buffer.from("Valor cobrado: R$ 120,00\nValor correto: R$ 12,00\n");
  await page.getByLabel("Arraste arquivos aqui ou clique para realizar upload.").setInputFiles({
    name: "valores.txt",
    mimeType: "text/plain",
    buffer: text,
  });
  await expect(page.locator(".upload-list")).toContainText("Enviado");
  expect(await severeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Anexar arquivos" }).click();
  const link = page.locator("table.attachments-table").getByRole("link", { name: "valores.txt" });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(fs.readFileSync(await download.path())).toEqual(text);

  // Closed through the CLI: under "Fechada", with its solution.
  closeTicket(first, "Fatura reemitida com o valor correto.");
  await page.goto("/meus-tickets?situacao=fechada");
  await hydrated(page);
  await expect(page.getByLabel("Situação")).toHaveValue("fechada");
  expect(await numbersShown(page)).toEqual([first]);
  await expect(rowOf(page, first).getByRole("cell").nth(7)).toHaveText("Fechada");
  await rowOf(page, first).getByRole("link", { name: `Solução do ticket ${first}` }).click();
  await expect(page.getByText("Fatura reemitida com o valor correto.")).toBeVisible();

  // Opinion and survey.
  await page.getByRole("link", { name: "Opinião" }).click();
  await hydrated(page);
  await page.getByLabel("Queixa").check();
  await page.getByLabel("Detalhe", { exact: true }).fill("Demorou para responder.");
  await page.getByRole("button", { name: "Enviar" }).click();
  await expect(page.locator(".current-opinion")).toContainText("Queixa – Demorou para responder.");
  await page.getByRole("link", { name: "Pesquisa de satisfação" }).click();
  await hydrated(page);
  await page.getByLabel("Nota").selectOption("4");
  await page.getByRole("button", { name: "Enviar" }).click();
  await expect(page.locator(".current-rating")).toContainText("4/5");

  // Reopen within 24 h: back to Em Andamento, and the history says so.
  await page.getByRole("link", { name: "Reabrir" }).click();
  await hydrated(page);
  await page.getByLabel("Motivo").fill("O valor continua errado.");
  await page.getByRole("button", { name: "Reabrir" }).click();
  await expect(page.locator(".ticket-situation")).toHaveText("Em Andamento");
  await page.goto(`/meus-tickets/${first}?aba=historico`);
  await expect(page.locator("table.history tbody tr").last()).toContainText("O valor continua errado.");

  // Closed again; 25 h later reopening is gone (advice instead) and the server refuses.
  closeTicket(first, "Corrigido de vez.");
  moveClock(25);
  await login(page, p.login, p.password); // the session idled out meanwhile
  await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
  await page.goto(`/meus-tickets/${first}?aba=reabrir`);
  await hydrated(page);
  await expect(page.getByText("O prazo para reabrir este ticket terminou.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Reabrir" })).toHaveCount(0);
  const refused = await call(page.request, "ticket-reopen", { number: Number(first), reason: "Ainda errado." });
  expect(refused.status()).toBe(422);
  // The survey is still open after 25 h …
  await page.goto(`/meus-tickets/${first}?aba=pesquisa`);
  await expect(page.getByLabel("Nota")).toBeVisible();
  // … but not after 3 days.
  moveClock(73);
  await login(page, p.login, p.password);
  await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
  await page.goto(`/meus-tickets/${first}?aba=pesquisa`);
  await hydrated(page);
  await expect(page.getByText("O prazo para a pesquisa de satisfação terminou.")).toBeVisible();
  const late = await call(page.request, "ticket-rate", { number: Number(first), score: 5, comment: "" });
  expect(late.status()).toBe(422);
});

test.describe("access", () => {
  // The page answers 404, which the browser logs like any failed load.
  test.use({ expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test("another customer's ticket is not found", async ({ page }) => {
    const owner = newPerson("dono");
    await register(page, owner);
    await login(page, owner.login, owner.password);
    await expect(page.getByText(`Olá, ${owner.name}`)).toBeVisible();
    const number = await openRequest(page, "Pedido particular.");
    await page.context().clearCookies();
    const other = newPerson("outro");
    await register(page, other);
    await login(page, other.login, other.password);
    await expect(page.getByText(`Olá, ${other.name}`)).toBeVisible();
    const page404 = await page.goto(`/meus-tickets/${number}`);
    expect(page404?.status()).toBe(404);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/não encontrada|Página não encontrada/i);
    const response = await call(page.request, "ticket", { number: Number(number) });
    expect(response.status()).toBe(404);
  });
});
