// SLA settings and e-mail notices in Chromium: an administrator adds a local holiday
// (a wrong date is refused beside the field, with and without JavaScript) and gives
// "Correção de Faturas" a target and a first-response target; a customer's new request
// then has a deadline, the "Ticket aberto" e-mail is written by the outbox, and the
// agent's workspace shows when the first response is due. The customer turns an
// optional notice off and chooses English e-mails in "Meu perfil".
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Page } from "@playwright/test";
import { atendeBinary, atendeEnv, baseURL, dataDir } from "../env";
import { test, expect, hydrated, severeViolations } from "./fixtures";
import { createStaff, login, newPerson, openRequest, register } from "./helpers";

function cli(args: string[], stdin = "") {
  return execFileSync(atendeBinary, args, { env: atendeEnv, encoding: "utf8", input: stdin });
}

/** The .eml files the outbox wrote (no SMTP server configured) that contain `text`. */
function mailWith(text: string): string[] {
  const dir = path.join(dataDir, "mail");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name), "utf8"))
    .filter((content) => content.includes(text));
}

async function correcaoRow(page: Page) {
  return page.getByRole("row", { name: /Correção de Faturas/ });
}

test("an administrator sets holidays and an activity's SLA; the customer's ticket follows it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  createStaff(`adm${stamp}`, "Alice Administradora", "admin");
  createStaff(`ana${stamp}`, "Ana Atendente", "agent", "1º Nível - NUATE");

  await login(page, `adm${stamp}`, "equipe1234");
  await expect(page.getByText("Olá, Alice Administradora")).toBeVisible();
  await page.getByRole("link", { name: "SLA", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/sla$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Configurações de SLA" })).toBeVisible();

  // A wrong date is refused beside the field, before anything is sent.
  const padrao = page.locator("article.calendar").filter({ has: page.getByRole("heading", { name: "Padrão" }) });
  await padrao.getByLabel("Data").fill("31/02/2030");
  await padrao.getByLabel("Feriado", { exact: true }).fill("Aniversário da cidade");
  await padrao.getByRole("button", { name: "Adicionar feriado" }).click();
  await expect(padrao.getByText("Informe uma data válida (dd/mm/aaaa).")).toBeVisible();
  await padrao.getByLabel("Data").fill(`25/01/${2040 + (Date.now() % 50)}`);
  await padrao.getByRole("button", { name: "Adicionar feriado" }).click();
  await expect(padrao.getByRole("cell", { name: "Aniversário da cidade" }).first()).toBeVisible();

  // "Correção de Faturas": 16 business hours, first response within 2.
  const row = await correcaoRow(page);
  await row.getByLabel("Prazo (horas úteis)").fill("16");
  await row.getByLabel("Primeira resposta (horas úteis)").fill("2");
  await row.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(row.getByText("Alterações salvas.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Caixa de saída de e-mails" })).toBeVisible();
  await expect(page.getByText("Enviadas")).toBeVisible();
  expect(await severeViolations(page)).toEqual([]);

  // A customer's new request now has a deadline, and the outbox wrote its e-mail.
  const customerPage = await (await browser.newContext({ baseURL, locale: "pt-BR" })).newPage();
  const maria = newPerson("sla");
  await register(customerPage, maria);
  await login(customerPage, maria.login, maria.password);
  await expect(customerPage.getByText(`Olá, ${maria.name}`)).toBeVisible();
  const number = await openRequest(customerPage, "Fatura com valor errado (SLA).");
  await customerPage.goto("/meus-tickets");
  const ticketRow = customerPage.getByRole("row", { name: new RegExp(`^${number} `) });
  await expect(ticketRow).toBeVisible();
  await expect(ticketRow).not.toContainText("A combinar");
  await expect.poll(() => mailWith(`#${number}]`).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const opened = mailWith(`#${number}]`).find((m) => m.includes(maria.email));
  expect(opened).toBeTruthy();
  expect(opened).toContain("text/html");

  // The agent sees when the first response is due.
  const ana = await (await browser.newContext({ baseURL, locale: "pt-BR" })).newPage();
  await login(ana, `ana${stamp}`, "equipe1234");
  await expect(ana).toHaveURL(/\/fila$/);
  await ana.goto(`/fila/${number}`);
  await expect(ana.getByText("Prazo da primeira resposta")).toBeVisible();

  // Back to "A combinar", as the other specs expect the demo catalog.
  await row.getByLabel("Prazo (horas úteis)").fill("");
  await row.getByLabel("Primeira resposta (horas úteis)").fill("");
  await row.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(row.getByText("Alterações salvas.")).toBeVisible();
});

test("the SLA settings page works without JavaScript and is for administrators only", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  createStaff(`adm2${stamp}`, "Beto Administrador", "admin");
  createStaff(`ger${stamp}`, "Gil Gestor", "manager");
  const context = await browser.newContext({ baseURL, locale: "pt-BR", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/entrar");
  await page.getByLabel("Insira o seu usuário").fill(`adm2${stamp}`);
  await page.getByLabel("Insira sua senha").fill("equipe1234");
  await page.getByRole("button", { name: "ENTRAR" }).click();
  await expect(page).toHaveURL(/\/fila$/);
  await page.goto("/admin/sla");
  const padrao = page.locator("article.calendar").filter({ has: page.getByRole("heading", { name: "Padrão" }) });
  await padrao.getByLabel("Data").fill("amanhã");
  await padrao.getByLabel("Feriado", { exact: true }).fill("Feriado sem data");
  await padrao.getByRole("button", { name: "Adicionar feriado" }).click();
  await expect(page).toHaveURL(/\/admin\/sla$/);
  await expect(padrao.getByText("Informe uma data válida (dd/mm/aaaa).")).toBeVisible();
  // What was typed is kept.
  await expect(padrao.getByLabel("Feriado", { exact: true })).toHaveValue("Feriado sem data");
  await padrao.getByLabel("Data").fill(`15/08/${2040 + (Date.now() % 50)}`);
  await padrao.getByRole("button", { name: "Adicionar feriado" }).click();
  await expect(page).toHaveURL(/\/admin\/sla\?salvo=1$/);
  await expect(page.getByRole("cell", { name: "Feriado sem data" }).first()).toBeVisible();

  // A manager is told the page is for administrators.
  const managerContext = await browser.newContext({ baseURL, locale: "pt-BR" });
  const manager = await managerContext.newPage();
  await login(manager, `ger${stamp}`, "equipe1234");
  await expect(manager).toHaveURL(/\/fila$/);
  const response = await manager.goto("/admin/sla");
  expect(response?.status()).toBe(404);
  await expect(manager.getByText("Somente administradores acessam esta página.")).toBeVisible();
  await expect(manager.getByRole("link", { name: "SLA", exact: true })).toHaveCount(0);
});

test("a customer turns an optional notice off and chooses English e-mails", async ({ page }) => {
  const maria = newPerson("avisos");
  await register(page, maria);
  await login(page, maria.login, maria.password);
  await expect(page.getByText(`Olá, ${maria.name}`)).toBeVisible();
  await page.goto("/perfil");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Avisos por e-mail" })).toBeVisible();
  const resumed = page.getByLabel("Ticket retomado");
  await expect(resumed).toBeChecked();
  await resumed.uncheck();
  await page.getByLabel("Idioma dos e-mails").selectOption("en");
  await page.getByRole("button", { name: "Salvar avisos" }).click();
  await expect(page.getByText("Avisos salvos.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Ticket retomado")).not.toBeChecked();
  await expect(page.getByLabel("Ticket reaberto")).toBeChecked();
  await expect(page.getByLabel("Idioma dos e-mails")).toHaveValue("en");
  expect(await severeViolations(page)).toEqual([]);
});
