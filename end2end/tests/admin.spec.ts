// Groups, people and the audit trail in Chromium: an administrator creates a group,
// invites an agent into it (the invitation is written by the outbox, its link sets the
// password), deactivates the agent while they are signed in (their next click lands on
// the sign-in prompt, and signing in says the account is deactivated), and the audit
// page shows each change with before → after. Without JavaScript the forms post plainly;
// managers read the trail but do not administer.
import { baseURL } from "../env";
import { test, expect, hydrated, severeViolations } from "./fixtures";
import { createStaff, login, sentMail } from "./helpers";

test("an administrator invites an agent into a group, deactivates them, and the audit trail shows it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const group = `Grupo E2E ${stamp}`;
  const nina = `nina${stamp}`;
  createStaff(`adm${stamp}`, "Alice Administradora", "admin");

  await login(page, `adm${stamp}`, "equipe1234");
  await expect(page.getByText("Olá, Alice Administradora")).toBeVisible();
  await page.getByRole("link", { name: "Usuários", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/usuarios$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Usuários e grupos" })).toBeVisible();

  // A group.
  const newGroup = page.locator("form").filter({ has: page.getByRole("button", { name: "Criar grupo" }) });
  await newGroup.getByLabel("Nome do grupo").fill(group);
  await newGroup.getByRole("button", { name: "Criar grupo" }).click();
  const article = page.locator("article.group").filter({ has: page.getByRole("heading", { name: group }) });
  await expect(article).toBeVisible();

  // An invitation: refused beside the field before anything is sent, then sent.
  const invite = page.locator("form").filter({ has: page.getByRole("button", { name: "Convidar" }) });
  await invite.getByLabel("Login").fill(nina);
  await invite.getByRole("button", { name: "Convidar" }).click();
  await expect(invite.getByText("Campo obrigatório.").first()).toBeVisible();
  await invite.getByLabel("Nome").fill("Nina Nova");
  await invite.getByLabel("E-mail").fill(`${nina}@atende.example`);
  await invite.getByLabel(group).check();
  await invite.getByRole("button", { name: "Convidar" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Alterações salvas." }).first()).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(`^Nina Nova ${nina}`) });
  await expect(row).toContainText(group);
  await expect(article.getByText(`Nina Nova (${nina})`)).toBeVisible();
  // Added to a second group from the group's own form.
  const nuate = page.locator("article.group").filter({ has: page.getByRole("heading", { name: "1º Nível - NUATE" }) });
  await nuate.getByLabel("Adicionar membro").selectOption({ label: `Nina Nova (${nina})` });
  await nuate.getByRole("button", { name: "Adicionar" }).click();
  await expect(nuate.getByText(`Nina Nova (${nina})`)).toBeVisible();
  await expect(row).toContainText("1º Nível - NUATE");
  expect(await severeViolations(page)).toEqual([]);

  // The invitation e-mail, written by the outbox; its link sets the password.
  let letter: string | undefined;
  await expect
    .poll(() => (letter = sentMail().find((m) => m.includes(`${nina}@atende.example`) && m.includes("convite"))), { timeout: 15_000 })
    .toBeTruthy();
  const link = /\/redefinir-senha\?token=[A-Za-z0-9_-]+/.exec(letter ?? "");
  expect(link).toBeTruthy();
  const agentContext = await browser.newContext({ baseURL, locale: "pt-BR" });
  const agent = await agentContext.newPage();
  await agent.goto(link![0]);
  await hydrated(agent);
  await agent.getByLabel("Nova senha", { exact: true }).fill("senhaforte9");
  await agent.getByLabel("Digite novamente a senha").fill("senhaforte9");
  await agent.getByRole("button", { name: "Redefinir senha" }).click();
  await expect(agent).toHaveURL(/\/entrar\?senha=ok$/);
  await login(agent, nina, "senhaforte9");
  await expect(agent).toHaveURL(/\/fila$/);
  await hydrated(agent);

  // Deactivated while signed in: the next click lands on the sign-in prompt.
  await row.getByRole("button", { name: "Desativar" }).click();
  await expect(row).toContainText("Desativado");
  await agent.getByRole("link", { name: "Meus Tickets" }).click();
  await expect(agent.getByText("Entre para continuar.")).toBeVisible();
  await login(agent, nina, "senhaforte9");
  await expect(agent.getByText("Este acesso foi desativado.")).toBeVisible();

  // The audit trail: each change, with before → after.
  await page.getByRole("link", { name: "Auditoria" }).click();
  await expect(page).toHaveURL(/\/admin\/auditoria$/);
  await expect(page.getByRole("heading", { name: "Auditoria" })).toBeVisible();
  const entries = page.locator("table.audit-entries tbody tr");
  const deactivated = entries.filter({ hasText: "desativar" }).filter({ hasText: nina }).first();
  await expect(deactivated).toContainText('"ativo":true');
  await expect(deactivated).toContainText('"ativo":false');
  await expect(entries.filter({ hasText: "convidar" }).filter({ hasText: nina })).toHaveCount(1);
  const added = entries.filter({ hasText: "adicionar-membro" }).filter({ hasText: nina }).first();
  await expect(added).toContainText("1º Nível - NUATE");
  // Before → after: the members without her, then with her.
  await expect(added.locator("td").nth(6)).not.toContainText(nina);
  await expect(added.locator("td").nth(7)).toContainText(nina);
  await expect(entries.filter({ hasText: "criar" }).filter({ hasText: group })).toHaveCount(1);
  // Filtered by kind: only groups; the export follows the filter.
  await page.getByLabel("Tipo").selectOption("grupo");
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/tipo=grupo/);
  await expect(entries.filter({ hasText: "convidar" })).toHaveCount(0);
  await expect(entries.filter({ hasText: group }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Exportar CSV" })).toHaveAttribute("href", /auditoria\.csv\?tipo=grupo/);
  expect(await severeViolations(page)).toEqual([]);
});

test("groups are administered without JavaScript; managers read the audit trail only", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  createStaff(`adm3${stamp}`, "Caio Administrador", "admin");
  createStaff(`ger3${stamp}`, "Gina Gestora", "manager");
  const context = await browser.newContext({ baseURL, locale: "pt-BR", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/entrar");
  await page.getByLabel("Insira o seu usuário").fill(`adm3${stamp}`);
  await page.getByLabel("Insira sua senha").fill("equipe1234");
  await page.getByRole("button", { name: "ENTRAR" }).click();
  await expect(page).toHaveURL(/\/fila$/);
  await page.goto("/admin/usuarios");
  const newGroup = page.locator("form").filter({ has: page.getByRole("button", { name: "Criar grupo" }) });
  await newGroup.getByRole("button", { name: "Criar grupo" }).click();
  await expect(page).toHaveURL(/\/admin\/usuarios$/);
  await expect(newGroup.getByText("Campo obrigatório.")).toBeVisible();
  await newGroup.getByLabel("Nome do grupo").fill(`Sem JS ${stamp}`);
  await newGroup.getByRole("button", { name: "Criar grupo" }).click();
  await expect(page).toHaveURL(/\/admin\/usuarios\?feito=grupo-novo$/);
  await expect(page.getByRole("heading", { name: `Sem JS ${stamp}` })).toBeVisible();

  // A manager: the audit trail, not the administration.
  const managerContext = await browser.newContext({ baseURL, locale: "pt-BR" });
  const manager = await managerContext.newPage();
  await login(manager, `ger3${stamp}`, "equipe1234");
  await expect(manager).toHaveURL(/\/fila$/);
  await expect(manager.getByRole("link", { name: "Usuários", exact: true })).toHaveCount(0);
  await manager.getByRole("link", { name: "Auditoria" }).click();
  await expect(manager.getByRole("cell", { name: `Sem JS ${stamp}` }).first()).toBeVisible();
  const response = await manager.goto("/admin/usuarios");
  expect(response?.status()).toBe(404);
});

test("settings apply at once: the sign-in page shows the new authentication domain", async ({ page, browser }) => {
  const stamp = Date.now().toString(36);
  createStaff(`adm4${stamp}`, "Dora Administradora", "admin");
  await login(page, `adm4${stamp}`, "equipe1234");
  await expect(page.getByText("Olá, Dora Administradora")).toBeVisible();
  await page.getByRole("link", { name: "Configurações", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/configuracoes$/);
  await hydrated(page);
  const domain = page.getByLabel("Domínio de autenticação");
  const original = await domain.inputValue();
  // A wrong address is refused beside its field; nothing is saved.
  const address = page.getByLabel("Endereço público");
  const url = await address.inputValue();
  await address.fill("atende sem esquema");
  await domain.fill(`orgao${stamp}.gov.br`);
  await page.getByRole("button", { name: "Salvar configurações" }).click();
  await expect(page.getByText("Informe um endereço http:// ou https://")).toBeVisible();
  const visitor = await (await browser.newContext({ baseURL, locale: "pt-BR" })).newPage();
  await visitor.goto("/entrar");
  await expect(visitor.getByLabel("Domínio de autenticação")).toHaveValue(original);
  // Saved: the sign-in page shows it at once, no restart.
  await address.fill(url);
  await page.getByRole("button", { name: "Salvar configurações" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Configurações salvas." }).first()).toBeVisible();
  await visitor.goto("/entrar");
  await expect(visitor.getByLabel("Domínio de autenticação")).toHaveValue(`orgao${stamp}.gov.br`);
  expect(await severeViolations(page)).toEqual([]);
  // Back as it was, for the other tests.
  await page.getByLabel("Domínio de autenticação").fill(original);
  await page.getByRole("button", { name: "Salvar configurações" }).click();
  await visitor.goto("/entrar");
  await expect(visitor.getByLabel("Domínio de autenticação")).toHaveValue(original);
});
