// The catalog in Chromium: an administrator creates a service with an activity whose
// form has a required select and a date, sees the priority follow impact and urgency,
// previews the form, and enables the activity; a customer finds it in the portal's
// search, opens a request and has the fields validated; the administrator disables the
// activity and it leaves the portal, while the customer's ticket still shows it.
import { Page } from "@playwright/test";
import { baseURL } from "../env";
import { test, expect, hydrated, severeViolations } from "./fixtures";
import { createStaff, login, newPerson, register } from "./helpers";

async function saved(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: "Alterações salvas." }).first()).toBeVisible();
}

test("an administrator builds an activity's form; customers use it until it is disabled", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const service = `SERVIÇO E2E ${stamp}`;
  const activity = `Atividade e2e ${stamp}`;
  createStaff(`cat${stamp}`, "Alice Administradora", "admin");

  await login(page, `cat${stamp}`, "equipe1234");
  await expect(page.getByText("Olá, Alice Administradora")).toBeVisible();
  await page.getByRole("link", { name: "Catálogo", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/catalogo$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Portfólio de serviços" })).toBeVisible();

  // A service under the portfolio, then an activity under it (which starts disabled).
  const portfolio = page.locator("li.catalog-item").filter({ hasText: "CENTRAL DE ATENDIMENTO AO CLIENTE" }).first();
  const newService = portfolio.locator("form").filter({ has: page.getByRole("button", { name: "Novo serviço" }) }).last();
  await newService.getByLabel("Nome").fill(service);
  await newService.getByRole("button", { name: "Novo serviço" }).click();
  const serviceItem = page.locator("li.catalog-item").filter({ hasText: service }).last();
  await expect(serviceItem).toBeVisible();
  const newActivity = serviceItem.locator("form").filter({ has: page.getByRole("button", { name: "Nova atividade" }) });
  await newActivity.getByLabel("Nome").fill(activity);
  await newActivity.getByRole("button", { name: "Nova atividade" }).click();
  await expect(serviceItem.getByText(`${activity} — desativado`)).toBeVisible();
  expect(await severeViolations(page)).toEqual([]);
  await serviceItem.getByRole("link", { name: activity }).first().click();
  await expect(page).toHaveURL(/\/admin\/catalogo\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: activity })).toBeVisible();
  await hydrated(page);

  // Its form: a required select (refused without options first) and a required date.
  const newField = page.locator("form").filter({ has: page.getByRole("button", { name: "Adicionar campo" }) });
  await newField.getByLabel("Rótulo").fill("Tipo de acesso");
  await newField.getByLabel("Tipo do campo").selectOption("select");
  await newField.getByLabel("Obrigatório").check();
  await newField.getByRole("button", { name: "Adicionar campo" }).click();
  await expect(newField.getByText("Campo obrigatório.")).toBeVisible();
  await newField.getByLabel("Opções").fill("Cabeada\nSem fio\nVPN");
  await newField.getByRole("button", { name: "Adicionar campo" }).click();
  await saved(page);
  await expect(page.getByRole("heading", { name: "Tipo de acesso (Seleção)" })).toBeVisible();
  await newField.getByLabel("Rótulo").fill("Data de início");
  await newField.getByLabel("Tipo do campo").selectOption("date");
  await newField.getByLabel("Texto de ajuda").fill("Quando o acesso deve começar.");
  await newField.getByLabel("Obrigatório").check();
  await newField.getByRole("button", { name: "Adicionar campo" }).click();
  await expect(page.getByRole("heading", { name: "Data de início (Data)" })).toBeVisible();

  // The preview shows the form as the customer will see it.
  const preview = page.locator(".form-preview");
  await expect(preview.getByLabel("Tipo de acesso")).toBeVisible();
  await expect(preview.getByText("Quando o acesso deve começar.")).toBeVisible();

  // Settings: the priority follows impact and urgency as they are chosen.
  const settings = page.locator("form").filter({ has: page.getByLabel("Fluxo de tarefas") });
  await settings.getByLabel("Impacto").selectOption("1");
  await settings.getByLabel("Urgência").selectOption("1");
  await expect(settings.getByText("Prioridade: Crítica")).toBeVisible();
  await settings.getByLabel("SLA (horas úteis)").fill("8");
  await settings.getByRole("button", { name: "Salvar" }).click();
  await saved(page);
  await page.getByRole("button", { name: "Ativar" }).click();
  await expect(page.getByRole("button", { name: "Desativar" })).toBeVisible();
  expect(await severeViolations(page)).toEqual([]);

  // A customer finds it, and the form's rules hold.
  const customerPage = await (await browser.newContext({ baseURL, locale: "pt-BR" })).newPage();
  const maria = newPerson("cat");
  await register(customerPage, maria);
  await login(customerPage, maria.login, maria.password);
  await expect(customerPage.getByText(`Olá, ${maria.name}`)).toBeVisible();
  await customerPage.goto(`/busca?q=${encodeURIComponent(`e2e ${stamp}`)}`);
  await customerPage.getByRole("link", { name: activity }).click();
  await expect(customerPage.getByRole("heading", { level: 1 })).toHaveText(activity);
  await hydrated(customerPage);
  await customerPage.getByLabel("Natureza", { exact: true }).selectOption("F");
  await customerPage.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-25");
  await customerPage.getByLabel("CEP", { exact: true }).fill("70040020");
  await customerPage.getByLabel("Endereço", { exact: true }).fill("SBN Quadra 2");
  await customerPage.getByLabel("Cidade", { exact: true }).fill("Brasília");
  await customerPage.getByLabel("UF", { exact: true }).selectOption("DF");
  await customerPage.getByLabel("Descrição", { exact: true }).fill("Preciso de acesso à rede.");
  await customerPage.getByRole("button", { name: "Concluir" }).click();
  const select = customerPage.getByLabel("Tipo de acesso");
  await expect(select).toHaveAttribute("aria-invalid", "true");
  await expect(customerPage.getByLabel("Data de início")).toHaveAttribute("aria-invalid", "true");
  await select.selectOption("VPN");
  await customerPage.getByLabel("Data de início").fill("2026-12-10");
  await customerPage.getByRole("button", { name: "Concluir" }).click();
  const popup = customerPage.getByRole("dialog", { name: "Ticket(s) criado(s)" });
  await expect(popup).toBeVisible();
  await expect(popup.getByRole("cell", { name: "Crítica" })).toBeVisible();
  const number = (await popup.locator(".ticket-number").innerText()).trim();
  await popup.getByRole("button", { name: "Fechar" }).click();
  await expect(customerPage).toHaveURL(/\/meus-tickets$/);

  // Disabled: out of the portal at once; the ticket keeps it.
  await page.getByRole("button", { name: "Desativar" }).click();
  await expect(page.getByRole("button", { name: "Ativar" })).toBeVisible();
  await customerPage.goto(`/busca?q=${encodeURIComponent(`e2e ${stamp}`)}`);
  await expect(customerPage.getByRole("link", { name: activity })).toHaveCount(0);
  await customerPage.goto("/meus-tickets");
  const row = customerPage.getByRole("row", { name: new RegExp(`^${number} `) });
  await expect(row).toContainText(activity);
  await expect(row).toContainText(service);
});

test("the catalog works without JavaScript and only for administrators", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  createStaff(`cat2${stamp}`, "Alice Administradora", "admin");
  const context = await browser.newContext({ baseURL, locale: "pt-BR", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/entrar");
  await page.getByLabel("Insira o seu usuário").fill(`cat2${stamp}`);
  await page.getByLabel("Insira sua senha").fill("equipe1234");
  await page.getByRole("button", { name: "ENTRAR" }).click();
  await expect(page).toHaveURL(/\/fila$/);
  await page.goto("/admin/catalogo");
  const create = page.locator("form").filter({ has: page.getByRole("button", { name: "Criar" }) });
  await create.getByRole("button", { name: "Criar" }).click();
  await expect(create.getByText("Campo obrigatório.")).toBeVisible();
  await create.getByLabel("Nome").fill(`PORTFÓLIO ${stamp}`);
  await create.getByRole("button", { name: "Criar" }).click();
  await expect(page).toHaveURL(/\/admin\/catalogo\?feito=portfolio-novo$/);
  await expect(page.locator("li.catalog-item").filter({ hasText: `PORTFÓLIO ${stamp}` })).toHaveCount(1);
  // A customer gets "not found".
  const customer = await (await browser.newContext({ baseURL, locale: "pt-BR" })).newPage();
  const ana = newPerson("cat2");
  await register(customer, ana);
  await login(customer, ana.login, ana.password);
  await expect(customer.getByText(`Olá, ${ana.name}`)).toBeVisible();
  const response = await customer.goto("/admin/catalogo");
  expect(response?.status()).toBe(404);
});
