// Every form works before, and without, the WebAssembly: with JavaScript off, Chromium
// posts each form the plain way and the server answers with a redirect, or with the page
// again showing what is wrong. No password or other secret ever appears in a URL the
// browser visits or requests (a form without a method would put its fields there).
import { Page } from "@playwright/test";
import { test, expect, hydrated } from "./fixtures";
import {
  Person,
  fillRegistration,
  login,
  newPerson,
  openRequest,
  register,
  sentMail,
  solveCaptcha,
  storedLogins,
} from "./helpers";

const PORTFOLIO = "CENTRAL DE ATENDIMENTO AO CLIENTE";

/** Every URL the browser requests or shows, from now on. */
function watchUrls(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => seen.push(request.url()));
  page.on("framenavigated", (frame) => seen.push(frame.url()));
  return seen;
}

/** Fails when a URL holds one of `secrets`, raw or percent-encoded. */
function expectNoSecretIn(urls: string[], secrets: string[]) {
  for (const secret of secrets) {
    const forms = [secret, encodeURIComponent(secret)];
    const leaks = urls.filter((url) => forms.some((form) => url.includes(form)));
    expect(leaks, `URLs holding "${secret}"`).toEqual([]);
  }
}

/** The current URL, checked on the spot and kept for the final check. */
function step(page: Page, urls: string[], secrets: string[]) {
  urls.push(page.url());
  expectNoSecretIn([page.url()], secrets);
}

async function registerWithoutJs(page: Page, p: Person, secrets: string[]) {
  await page.goto("/cadastrar");
  await fillRegistration(page, p);
  secrets.push(await captchaId(page));
  await solveCaptcha(page);
  await page.getByRole("button", { name: "Solicitar acesso" }).click();
  await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
}

async function signInWithoutJs(page: Page, p: Person) {
  await page.goto("/entrar");
  await page.getByLabel("Insira o seu usuário").fill(p.login);
  await page.getByLabel("Insira sua senha").fill(p.password);
  await page.getByLabel("Insira sua senha").press("Enter");
  await expect(page).toHaveURL(/\/portal$/);
}

/** The CAPTCHA's id, which the form carries in a hidden input. */
async function captchaId(page: Page): Promise<string> {
  const id = await page.locator('input[name="captcha-id"]').getAttribute("value");
  expect(id).toBeTruthy();
  return id!;
}

test.describe("without JavaScript", () => {
  test.use({
    javaScriptEnabled: false,
    // A refused form is the page again with the error's status, which the browser logs.
    expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of (401|422)/],
  });

  test("register, sign in straight onto the portal, sign out", async ({ page }) => {
    const urls = watchUrls(page);
    const p = newPerson("semjs");
    const secrets = [p.password, "errada123"];

    await page.goto("/cadastrar");
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    await fillRegistration(page, p);
    // "Buscar CEP" needs JavaScript: it is not offered; the address is typed.
    await expect(page.getByRole("button", { name: "Buscar CEP" })).toBeHidden();
    // A wrong CAPTCHA first: the server refuses it beside the field, keeps what was
    // typed except the passwords, and asks a new operation.
    const firstCaptcha = await captchaId(page);
    secrets.push(firstCaptcha);
    await solveCaptcha(page);
    const captcha = page.getByLabel("Resultado que falta na operação");
    await captcha.fill(String(Number(await captcha.inputValue()) + 1));
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page).toHaveURL(/\/cadastrar$/);
    step(page, urls, secrets);
    await expect(page.locator("#captcha-erro")).toHaveText("Resultado incorreto. Resolva a nova operação.");
    await expect(page.getByRole("alert")).toHaveText("Corrija os campos destacados.");
    await expect(page.getByLabel("Resultado que falta na operação")).toBeFocused();
    await expect(page.getByLabel("Nome", { exact: true })).toHaveValue(p.name);
    await expect(page.getByLabel("Pessoa", { exact: true })).toHaveValue(p.person);
    await expect(page.getByLabel("Login", { exact: true })).toHaveValue(p.login);
    await expect(page.getByLabel("Senha", { exact: true })).toHaveValue("");
    expect(await captchaId(page)).not.toBe(firstCaptcha);
    expect(storedLogins()).not.toContain(p.login);

    await page.getByLabel("Senha", { exact: true }).fill(p.password);
    await page.getByLabel("Digite novamente a senha", { exact: true }).fill(p.password);
    secrets.push(await captchaId(page));
    await solveCaptcha(page);
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
    step(page, urls, secrets);
    await expect(page.getByRole("status")).toHaveText("Cadastro realizado com sucesso. Entre com seu login e senha.");
    expect(storedLogins()).toContain(p.login);

    // Enter in the password field: the case. A wrong password stays on the
    // page (401), the user kept, the password not.
    await page.getByLabel("Insira o seu usuário").fill(p.login);
    await page.getByLabel("Insira sua senha").fill("errada123");
    await page.getByLabel("Insira sua senha").press("Enter");
    await expect(page.getByRole("alert")).toHaveText("Usuário ou senha inválidos.");
    await expect(page).toHaveURL(/\/entrar$/);
    step(page, urls, secrets);
    await expect(page.getByLabel("Insira o seu usuário")).toHaveValue(p.login);
    await expect(page.getByLabel("Insira sua senha")).toHaveValue("");

    await page.getByLabel("Insira sua senha").fill(p.password);
    await page.getByLabel("Insira sua senha").press("Enter");
    // The seed's step 3: the portfolio right away.
    await expect(page).toHaveURL(/\/portal$/);
    step(page, urls, secrets);
    await expect(page.getByRole("link", { name: new RegExp(PORTFOLIO) })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Navegação principal" });
    await expect(nav.getByText(`Olá, ${p.name}`)).toBeVisible();

    await nav.getByRole("button", { name: "Sair" }).click();
    await expect(page).toHaveURL(/\/$/);
    step(page, urls, secrets);
    await expect(nav.getByRole("link", { name: "Entrar" })).toBeVisible();
    await page.goto("/portal");
    await expect(page.getByText("Entre para continuar.")).toBeVisible();

    expectNoSecretIn(urls, secrets);
  });

  test("sign in goes to the page asked for, and only on this site", async ({ page }) => {
    const p = newPerson("volta");
    await registerWithoutJs(page, p, []);
    await page.goto("/perfil");
    await page.getByRole("main").getByRole("link", { name: "Entrar" }).click();
    await expect(page).toHaveURL(/\/entrar\?next=\/perfil$/);
    await page.getByLabel("Insira o seu usuário").fill(p.login);
    await page.getByLabel("Insira sua senha").fill(p.password);
    await page.getByRole("button", { name: "ENTRAR" }).click();
    await expect(page).toHaveURL(/\/perfil$/);
    await expect(page.getByLabel("Nome", { exact: true })).toHaveValue(p.name);

    await page.context().clearCookies();
    await page.goto("/entrar?next=//evil.example/x");
    await page.getByLabel("Insira o seu usuário").fill(p.login);
    await page.getByLabel("Insira sua senha").fill(p.password);
    await page.getByRole("button", { name: "ENTRAR" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/portal$/);
  });

  test("request a password reset and choose a new password", async ({ page }) => {
    const urls = watchUrls(page);
    const p = newPerson("semjsreset");
    const secrets = [p.password, "novasenha1"];
    await registerWithoutJs(page, p, secrets);

    await page.getByRole("link", { name: "Esqueceu sua senha?" }).click();
    await expect(page).toHaveURL(/\/esqueci-senha$/);
    const before = sentMail().length;
    await page.getByLabel("Email", { exact: true }).fill(p.email);
    await page.getByRole("button", { name: "Enviar link" }).click();
    await expect(page).toHaveURL(/\/esqueci-senha\?enviado=1$/);
    step(page, urls, secrets);
    await expect(page.getByRole("status")).toHaveText(/Se o email estiver cadastrado/);
    const mails = sentMail();
    expect(mails.length).toBe(before + 1);
    const link = /(http:\/\/\S+\/redefinir-senha\?token=([A-Za-z0-9_-]+))/.exec(mails[mails.length - 1]);
    expect(link).toBeTruthy();
    const [, href, token] = link!;

    // The mailed link carries its token (that is what a mailed link is); nothing the
    // page does puts it in another URL: the form posts it in its body.
    await page.goto(href);
    await page.getByLabel("Nova senha", { exact: true }).fill("curta");
    await page.getByLabel("Digite novamente a senha", { exact: true }).fill("curta");
    await page.getByRole("button", { name: "Redefinir senha" }).click();
    await expect(page).toHaveURL(/\/redefinir-senha$/);
    step(page, urls, secrets);
    await expect(page.locator("#senha-erro")).toHaveText(/no mínimo oito caracteres/);
    await page.getByLabel("Nova senha", { exact: true }).fill("novasenha1");
    await page.getByLabel("Digite novamente a senha", { exact: true }).fill("novasenha1");
    await page.getByRole("button", { name: "Redefinir senha" }).click();
    await expect(page).toHaveURL(/\/entrar\?senha=ok$/);
    step(page, urls, secrets);
    await expect(page.getByRole("status")).toHaveText("Senha redefinida. Entre com a nova senha.");

    await signInWithoutJs(page, { ...p, password: "novasenha1" });
    expectNoSecretIn(urls, secrets);
    expectNoSecretIn(
      urls.filter((url) => url !== href),
      [token],
    );
  });

  test("open a request, then add a note to its ticket", async ({ page }) => {
    test.setTimeout(60_000);
    const urls = watchUrls(page);
    const p = newPerson("semjspede");
    const secrets = [p.password];
    await registerWithoutJs(page, p, secrets);
    await signInWithoutJs(page, p);

    // Plain links down the catalog, and the search box as a plain GET form.
    await page.getByRole("link", { name: new RegExp(PORTFOLIO) }).click();
    await page.getByRole("link", { name: /^FATURAMENTO/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("FATURAMENTO");
    await page.getByRole("searchbox", { name: "Pesquise aqui" }).fill("correcao");
    await page.getByRole("searchbox", { name: "Pesquise aqui" }).press("Enter");
    await expect(page).toHaveURL(/\/busca\?q=correcao$/);
    await expect(page.getByRole("searchbox", { name: "Pesquise aqui" })).toHaveValue("correcao");
    await page.getByRole("link", { name: "Correção de Faturas" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correção de Faturas");
    const formUrl = page.url();

    // Uploading needs JavaScript: the page says so instead of offering a dead zone.
    await expect(page.getByText("Para anexar arquivos, o navegador precisa executar JavaScript.", { exact: false })).toBeVisible();
    await expect(page.getByText("Arraste arquivos aqui ou clique para realizar upload.")).toBeHidden();

    await page.getByLabel("Natureza", { exact: true }).selectOption("F");
    await page.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-24");
    await page.getByLabel("CEP", { exact: true }).fill("70040-020");
    await page.getByLabel("Endereço", { exact: true }).fill("SBN Quadra 2");
    await page.getByLabel("Nº", { exact: true }).fill("10");
    await page.getByLabel("Cidade", { exact: true }).fill("Brasília");
    await page.getByLabel("UF", { exact: true }).selectOption("DF");
    await page.getByLabel("Número da fatura", { exact: true }).fill("2026-000123");
    const description = "A fatura de outubro veio com o valor errado.\nCobrado: R$ 120,00 <não R$ 12,00>.";
    await page.getByLabel("Descrição", { exact: true }).fill(description);
    await page.getByRole("button", { name: "Concluir" }).click();

    // The server refuses the CPF beside its field and keeps everything typed.
    await expect(page).toHaveURL(formUrl);
    step(page, urls, secrets);
    await expect(page.locator("#documento-erro")).toHaveText("CPF inválido: confira os 11 dígitos.");
    await expect(page.getByLabel("CPF ou CNPJ", { exact: true })).toBeFocused();
    await expect(page.getByLabel("Descrição", { exact: true })).toHaveValue(description);
    await expect(page.getByLabel("Cidade", { exact: true })).toHaveValue("Brasília");
    await expect(page.getByLabel("UF", { exact: true })).toHaveValue("DF");
    await expect(page.getByLabel("Número da fatura", { exact: true })).toHaveValue("2026-000123");

    await page.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-25");
    await page.getByRole("button", { name: "Concluir" }).click();
    const popup = page.getByRole("dialog", { name: "Ticket(s) criado(s)" });
    await expect(popup).toBeVisible();
    step(page, urls, secrets);
    const number = (await popup.locator(".ticket-number").innerText()).trim();
    expect(number).toMatch(/^\d+$/);
    await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}\\?criado=1$`));
    await expect(popup.getByRole("cell", { name: "Baixa" })).toBeVisible();
    await popup.getByRole("link", { name: "Fechar" }).click();
    await expect(page).toHaveURL(/\/meus-tickets$/);
    const row = page.getByRole("row", { name: new RegExp(`^${number} `) });
    await expect(row).toContainText("Correção de Faturas");

    // "Meus Tickets" searches with a plain GET too.
    const search = page.getByRole("searchbox", { name: "Pesquise aqui por serviço, descrição ou número de solicitação" });
    await search.fill(number);
    await search.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/meus-tickets\\?q=${number}&`));
    await expect(search).toHaveValue(number);
    await expect(page.locator("table.tickets tbody tr")).toHaveCount(1);

    // A note: an empty one is refused beside the field; then it is saved.
    await row.getByRole("link", { name: `Anotação do ticket ${number}` }).click();
    await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}\\?aba=anotacao$`));
    await page.getByRole("button", { name: "Salvar", exact: true }).click();
    await expect(page.locator("#anotacao-erro")).toHaveText("Campo obrigatório.");
    step(page, urls, secrets);
    await page.getByLabel("Anotação", { exact: true }).fill("A fatura é a de número 2026-000123.");
    await page.getByRole("button", { name: "Salvar", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/meus-tickets/${number}\\?aba=anotacao&feito=anotacao$`));
    step(page, urls, secrets);
    await expect(page.getByRole("status")).toHaveText("Anotação registrada.");
    await expect(page.getByLabel("Anotação", { exact: true })).toHaveValue("");
    await page.getByRole("link", { name: "Histórico" }).click();
    const history = page.locator("table.history tbody tr");
    await expect(history).toHaveCount(2);
    await expect(history.nth(1)).toContainText("A fatura é a de número 2026-000123.");

    expectNoSecretIn(urls, secrets);
  });

  test("Meu perfil: both forms", async ({ page }) => {
    const urls = watchUrls(page);
    const p = newPerson("semjsperfil");
    const secrets = [p.password, "trocada123", "errada123"];
    await registerWithoutJs(page, p, secrets);
    await signInWithoutJs(page, p);
    await page.goto("/perfil");
    await page.getByLabel("Telefone", { exact: true }).fill("61 3333-4444");
    await page.getByRole("button", { name: "Salvar", exact: true }).click();
    await expect(page).toHaveURL(/\/perfil\?salvo=dados$/);
    await expect(page.getByRole("status")).toHaveText("Dados atualizados.");
    await expect(page.getByLabel("Telefone", { exact: true })).toHaveValue("(61) 3333-4444");

    await page.getByLabel("Senha atual", { exact: true }).fill("errada123");
    await page.getByLabel("Nova senha", { exact: true }).fill("trocada123");
    await page.getByLabel("Digite novamente a senha", { exact: true }).fill("trocada123");
    await page.getByRole("button", { name: "Alterar senha" }).click();
    await expect(page.locator("#senha-atual-erro")).toHaveText("Senha atual incorreta.");
    await expect(page.getByLabel("Senha atual", { exact: true })).toHaveValue("");
    step(page, urls, secrets);
    await page.getByLabel("Senha atual", { exact: true }).fill(p.password);
    await page.getByLabel("Nova senha", { exact: true }).fill("trocada123");
    await page.getByLabel("Digite novamente a senha", { exact: true }).fill("trocada123");
    await page.getByRole("button", { name: "Alterar senha" }).click();
    await expect(page).toHaveURL(/\/perfil\?salvo=senha$/);
    await expect(page.getByRole("status")).toHaveText(/Senha alterada/);
    expectNoSecretIn(urls, secrets);
  });
});

test.describe("before the WebAssembly arrives", () => {
  /** Holds the browser bundle back until `release` is called. */
  async function holdBundle(page: Page): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/pkg/*/atende_bg.wasm", async (route) => {
      await released;
      await route.continue().catch(() => {});
    });
    return release;
  }

  test("what was typed is kept when the page comes alive, and the form is then enhanced", async ({ page }) => {
    const p = newPerson("cedo");
    await register(page, p);
    const release = await holdBundle(page);
    await page.goto("/entrar", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Insira o seu usuário").fill(p.login);
    await page.getByLabel("Insira sua senha").fill(p.password);
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    release();
    await hydrated(page);
    await expect(page.getByLabel("Insira o seu usuário")).toHaveValue(p.login);
    await expect(page.getByLabel("Insira sua senha")).toHaveValue(p.password);
    await page.getByRole("button", { name: "ENTRAR" }).click();
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole("link", { name: new RegExp(PORTFOLIO) })).toBeVisible();
  });

  test.describe("a refused post", () => {
    test.use({ expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 422/] });

    test("comes alive with its errors and values, and the enhanced form finishes the job", async ({ page }) => {
      const p = newPerson("tarde");
      const release = await holdBundle(page);
      await page.goto("/cadastrar", { waitUntil: "domcontentloaded" });
      await fillRegistration(page, p);
      await page.getByLabel("Digite novamente a senha", { exact: true }).fill("outrasenha1");
      await solveCaptcha(page);
      await page.getByRole("button", { name: "Solicitar acesso" }).click();
      // The server's answer, rendered before any WebAssembly ran.
      await expect(page.locator("#senha-confirmacao-erro")).toHaveText("As senhas não conferem.");
      await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
      release();
      await hydrated(page);
      // Hydration started from the same refused post: nothing moved or vanished.
      await expect(page.locator("#senha-confirmacao-erro")).toHaveText("As senhas não conferem.");
      await expect(page.getByRole("alert")).toHaveText("Corrija os campos destacados.");
      await expect(page.getByLabel("Nome", { exact: true })).toHaveValue(p.name);
      await expect(page.getByLabel("Login", { exact: true })).toHaveValue(p.login);
      // Now enhanced: fixing the field clears its message at once, in the browser.
      await page.getByLabel("Senha", { exact: true }).fill(p.password);
      const confirm = page.getByLabel("Digite novamente a senha", { exact: true });
      await confirm.fill(p.password);
      await confirm.blur();
      await expect(page.locator("#senha-confirmacao-erro")).toHaveText("");
      await solveCaptcha(page);
      await page.getByRole("button", { name: "Solicitar acesso" }).click();
      await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
      expect(storedLogins()).toContain(p.login);
    });

    test("is shown once: a tab built again later starts clean", async ({ page }) => {
      const p = newPerson("aba");
      await register(page, p);
      await login(page, p.login, p.password);
      await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
      const number = await openRequest(page, "A fatura de outubro veio errada.");
      const release = await holdBundle(page);
      await page.goto(`/meus-tickets/${number}?aba=anotacao`, { waitUntil: "domcontentloaded" });
      await page.getByRole("button", { name: "Salvar", exact: true }).click();
      await expect(page.locator("#anotacao-erro")).toHaveText("Campo obrigatório.");
      release();
      await hydrated(page);
      await expect(page.locator("#anotacao-erro")).toHaveText("Campo obrigatório.");
      await page.getByRole("link", { name: "Histórico" }).click();
      await expect(page.locator("table.history")).toBeVisible();
      await page.getByRole("link", { name: "Anotação" }).click();
      const note = page.getByLabel("Anotação", { exact: true });
      await expect(note).toBeVisible();
      await expect(page.locator("#anotacao-erro")).toHaveText("");
      await note.fill("A fatura é a de número 2026-000123.");
      await page.getByRole("button", { name: "Salvar", exact: true }).click();
      await expect(note).toHaveValue("");
      await page.getByRole("link", { name: "Histórico" }).click();
      await expect(page.locator("table.history tbody tr").last()).toContainText("A fatura é a de número 2026-000123.");
    });
  });

  test("a form sent before it arrives is posted, not put in the URL", async ({ page }) => {
    const urls = watchUrls(page);
    const p = newPerson("apressado");
    await register(page, p);
    const release = await holdBundle(page);
    await page.goto("/entrar", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Insira o seu usuário").fill(p.login);
    await page.getByLabel("Insira sua senha").fill(p.password);
    await page.getByLabel("Insira sua senha").press("Enter");
    await expect(page).toHaveURL(/\/portal$/);
    release();
    await hydrated(page);
    await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
    expectNoSecretIn(urls, [p.password]);
  });
});
