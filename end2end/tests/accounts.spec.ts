import { test, expect, hydrated } from "./fixtures";
import { fillRegistration, login, newPerson, register, sentMail, solveCaptcha, storedLogins } from "./helpers";

test.describe("Solicitação de Acesso", () => {
  test("each bad field shows its message beside it and nothing is stored", async ({ page }) => {
    const p = newPerson("ruim");
    await page.goto("/cadastrar");
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Solicitação de Acesso");
    await expect(page.getByText("(*) Campos obrigatórios")).toBeVisible();
    await expect(page.getByText("A senha deve conter no mínimo oito caracteres e pelo menos um número")).toBeVisible();
    await fillRegistration(page, p);
    await solveCaptcha(page);

    const cases: [string, string, RegExp][] = [
      ["Nome", "", /Campo obrigatório/],
      ["Telefone", "3333-4444", /telefone com DDD/],
      ["CEP", "7004-02", /CEP com 8 dígitos/],
      ["Endereço", "", /Campo obrigatório/],
      ["Email", "maria@exemplo", /email válido/],
      ["Login", "a b", /login deve ter de 3 a 32/],
      ["Senha", "semnumeros", /no mínimo oito caracteres e pelo menos um número/],
    ];
    for (const [label, bad, message] of cases) {
      const field = page.getByLabel(label, { exact: true });
      const good = await field.inputValue();
      await field.fill(bad);
      await field.blur();
      // The message appears right away, beside the field, with the red mark.
      await expect(page.locator(`#${await field.getAttribute("id")}-erro`)).toHaveText(message);
      await expect(field).toHaveAttribute("aria-invalid", "true");
      // Submitting keeps the user on the form, with the focus on the field.
      await page.getByRole("button", { name: "Solicitar acesso" }).click();
      await expect(field).toBeFocused();
      await expect(page).toHaveURL(/\/cadastrar$/);
      await field.fill(good);
      if (label === "Senha") {
        // the confirmation no longer matches either; the password rule is the one shown
        await page.getByLabel("Digite novamente a senha", { exact: true }).fill(good);
      }
      await field.blur();
      await expect(field).toHaveAttribute("aria-invalid", "false");
    }
    const person = page.getByLabel("Pessoa", { exact: true });
    await person.selectOption("");
    await expect(page.locator("#pessoa-erro")).toHaveText("Campo obrigatório.");
    await person.selectOption("J");
    await expect(page.locator("#pessoa-erro")).toHaveText("");

    const confirm = page.getByLabel("Digite novamente a senha", { exact: true });
    await confirm.fill("outrasenha1");
    await confirm.blur();
    await expect(page.locator("#senha-confirmacao-erro")).toHaveText("As senhas não conferem.");
    await confirm.fill(p.password);

    // A wrong CAPTCHA is refused by the server, which then asks a new operation.
    const operation = await page.locator(".captcha-operation").innerText();
    const captcha = page.getByLabel("Resultado que falta na operação");
    await captcha.fill(String(Number(await captcha.inputValue()) + 1));
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page.locator("#captcha-erro")).toHaveText(/Resultado incorreto/);
    await expect(page).toHaveURL(/\/cadastrar$/);
    expect(storedLogins()).not.toContain(p.login);

    // Put right, the same form goes through.
    await solveCaptcha(page);
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
    await expect(page.getByRole("status")).toHaveText("Cadastro realizado com sucesso. Entre com seu login e senha.");
    expect(storedLogins()).toContain(p.login);
    void operation;
  });

  test("a login already taken is reported beside the field by the server", async ({ page }) => {
    const first = newPerson("dono");
    await register(page, first);
    const second = { ...newPerson("outro"), login: first.login.toUpperCase() };
    await page.goto("/cadastrar");
    await hydrated(page);
    await fillRegistration(page, second);
    await solveCaptcha(page);
    await page.getByRole("button", { name: "Solicitar acesso" }).click();
    await expect(page.locator("#login-erro")).toHaveText(/Este login já está em uso/);
    await expect(page.getByLabel("Login", { exact: true })).toBeFocused();
    expect(storedLogins().filter((l) => l.toLowerCase() === first.login.toLowerCase())).toHaveLength(1);
  });

  test("Buscar CEP fills the address from the CEP service, or says why not", async ({ page }) => {
    await page.goto("/cadastrar");
    await hydrated(page);
    const cep = page.getByLabel("CEP", { exact: true });
    const address = page.getByLabel("Endereço", { exact: true });
    const lookup = page.getByRole("button", { name: "Buscar CEP" });

    await cep.fill("70040-020");
    await lookup.click();
    await expect(address).toHaveValue("SBN Quadra 2, Asa Norte, Brasília/DF");
    await expect(page.getByText("Endereço encontrado. Confira e complete com o número.")).toBeVisible();

    await cep.fill("12345-678");
    await lookup.click();
    await expect(page.getByText("CEP não encontrado. Preencha o endereço manualmente.")).toBeVisible();

    await cep.fill("99999-999");
    await lookup.click();
    await expect(page.getByText(/Não foi possível consultar o CEP agora/)).toBeVisible();

    await cep.fill("123");
    await lookup.click();
    await expect(page.locator("#cep-erro")).toHaveText(/CEP com 8 dígitos/);
  });
});

test.describe("login", () => {
  test("the login page follows the seed and signs in and out", async ({ page }) => {
    const p = newPerson("entra");
    await register(page, p);
    await expect(page.getByLabel("Domínio de autenticação")).toHaveValue("atende.local");
    await expect(page.getByRole("link", { name: "Esqueceu sua senha?" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Não tem acesso?" })).toHaveAttribute("href", "/cadastrar");

    await login(page, p.email, p.password);
    // A customer lands on the portal (the seed's step 3).
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole("link", { name: /CENTRAL DE ATENDIMENTO AO CLIENTE/ })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Navegação principal" });
    await expect(nav.getByText(`Olá, ${p.name}`)).toBeVisible();
    await expect(nav.getByRole("link", { name: "Entrar" })).toHaveCount(0);

    // The session survives a reload: the server renders the signed-in header.
    await page.reload();
    await expect(nav.getByText(`Olá, ${p.name}`)).toBeVisible();

    await hydrated(page);
    await nav.getByRole("button", { name: "Sair" }).click();
    await expect(nav.getByRole("link", { name: "Entrar" })).toBeVisible();
    await page.reload();
    await expect(nav.getByRole("link", { name: "Entrar" })).toBeVisible();
  });

  test("a wrong password says only that the credentials are wrong", async ({ page }) => {
    const p = newPerson("erra");
    await register(page, p);
    await login(page, p.login, "errada123");
    await expect(page.getByRole("alert")).toHaveText("Usuário ou senha inválidos.");
    await expect(page).toHaveURL(/\/entrar/);
    await login(page, "ninguem-tem-este-login", "errada123");
    await expect(page.getByRole("alert")).toHaveText("Usuário ou senha inválidos.");
  });

  test("five failures in a row lock the account for a while", async ({ page }) => {
    const p = newPerson("trava");
    await register(page, p);
    for (let i = 0; i < 5; i++) {
      await login(page, p.login, `errada${i}00`);
      await expect(page.getByRole("alert")).toHaveText("Usuário ou senha inválidos.");
    }
    await login(page, p.login, p.password);
    await expect(page.getByRole("alert")).toHaveText(/Muitas tentativas sem sucesso\. Tente novamente em \d+ minuto/);
    await expect(page).toHaveURL(/\/entrar/);
  });

  test("English on the login page", async ({ page }) => {
    await page.goto("/entrar");
    await hydrated(page);
    await page.locator(".login-language").getByRole("combobox").selectOption("en");
    await expect(page.getByRole("button", { name: "SIGN IN" })).toBeVisible();
    await expect(page.getByLabel("Enter your user")).toBeVisible();
    await page.locator(".login-language").getByRole("combobox").selectOption("pt-BR");
    await expect(page.getByRole("button", { name: "ENTRAR" })).toBeVisible();
  });
});

test("password reset through the link in the mail", async ({ page }) => {
  const p = newPerson("esquece");
  await register(page, p);
  await page.getByRole("link", { name: "Esqueceu sua senha?" }).click();
  await expect(page).toHaveURL(/\/esqueci-senha$/);
  await hydrated(page);
  const before = sentMail().length;
  await page.getByLabel("Email", { exact: true }).fill(p.email);
  await page.getByRole("button", { name: "Enviar link" }).click();
  await expect(page.getByRole("status")).toHaveText(/Se o email estiver cadastrado/);

  const mails = sentMail();
  expect(mails.length).toBe(before + 1);
  const mail = mails[mails.length - 1];
  expect(mail).toContain(`To: ${p.email}`);
  const link = /(http:\/\/\S+\/redefinir-senha\?token=[A-Za-z0-9_-]+)/.exec(mail)?.[1];
  expect(link, mail).toBeTruthy();

  await page.goto(link!);
  await hydrated(page);
  await page.getByLabel("Nova senha", { exact: true }).fill("novasenha1");
  await page.getByLabel("Digite novamente a senha", { exact: true }).fill("novasenha1");
  await page.getByRole("button", { name: "Redefinir senha" }).click();
  await expect(page).toHaveURL(/\/entrar\?senha=ok$/);
  await expect(page.getByRole("status")).toHaveText("Senha redefinida. Entre com a nova senha.");

  await login(page, p.login, p.password);
  await expect(page.getByRole("alert")).toHaveText("Usuário ou senha inválidos.");
  await login(page, p.login, "novasenha1");
  await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();

  // The link worked once.
  await page.goto(link!);
  await hydrated(page);
  await page.getByLabel("Nova senha", { exact: true }).fill("outrasenha2");
  await page.getByLabel("Digite novamente a senha", { exact: true }).fill("outrasenha2");
  await page.getByRole("button", { name: "Redefinir senha" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Este link expirou ou já foi usado/);
  await expect(page.getByRole("link", { name: "Pedir um novo link" })).toBeVisible();
});

test("Meu perfil: see and edit the data, change the password", async ({ page }) => {
  const p = newPerson("perfil");
  await register(page, p);
  await page.goto("/perfil");
  await hydrated(page);
  await expect(page.getByText("Entre para continuar.")).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Entrar" }).click();
  await expect(page).toHaveURL(/\/entrar\?next=\/perfil$/);
  await hydrated(page);
  await page.getByLabel("Insira o seu usuário").fill(p.login);
  await page.getByLabel("Insira sua senha").fill(p.password);
  await page.getByRole("button", { name: "ENTRAR" }).click();
  await expect(page).toHaveURL(/\/perfil$/);

  await expect(page.getByLabel("Nome", { exact: true })).toHaveValue(p.name);
  await expect(page.getByLabel("Telefone", { exact: true })).toHaveValue("(61) 99999-8888");
  await expect(page.getByLabel("CEP", { exact: true })).toHaveValue("70040-020");
  await page.getByLabel("Telefone", { exact: true }).fill("61 3333-4444");
  await page.getByLabel("CEP", { exact: true }).fill("01001-000");
  await page.getByRole("button", { name: "Buscar CEP" }).click();
  await expect(page.getByLabel("Endereço", { exact: true })).toHaveValue("Praça da Sé lado ímpar, Sé, São Paulo/SP");
  await page.getByRole("button", { name: "Salvar", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Dados atualizados.");
  await page.reload();
  await expect(page.getByLabel("Telefone", { exact: true })).toHaveValue("(61) 3333-4444");
  await expect(page.getByLabel("CEP", { exact: true })).toHaveValue("01001-000");

  await hydrated(page);
  await page.getByLabel("Senha atual", { exact: true }).fill("errada123");
  await page.getByLabel("Nova senha", { exact: true }).fill("trocada123");
  await page.getByLabel("Digite novamente a senha", { exact: true }).fill("trocada123");
  await page.getByRole("button", { name: "Alterar senha" }).click();
  await expect(page.locator("#senha-atual-erro")).toHaveText("Senha atual incorreta.");
  await page.getByLabel("Senha atual", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Alterar senha" }).click();
  await expect(page.getByRole("status")).toHaveText(/Senha alterada/);
});
