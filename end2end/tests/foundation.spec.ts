import { test, expect, hydrated, severeViolations } from "./fixtures";

test.describe("server rendering", () => {
  test.use({ javaScriptEnabled: false });

  test("home page is complete without JavaScript", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Central de Atendimento");
    const nav = page.getByRole("navigation", { name: "Navegação principal" });
    await expect(nav.getByRole("link", { name: "Entrar" })).toHaveAttribute("href", "/entrar");
    await expect(nav.getByRole("link", { name: "Cadastrar" })).toHaveAttribute("href", "/cadastrar");
    await expect(page.getByRole("combobox", { name: "Idioma" })).toHaveValue("pt-BR");
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  });
});

test("the WASM hydrates the page and the language switch works", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);

  await page.getByRole("combobox", { name: "Idioma" }).selectOption("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service Desk");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByRole("link", { name: "Sign in" })).toBeVisible();

  // The choice is remembered: the server renders the next visit in English.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service Desk");
  await hydrated(page);
  await page.getByRole("combobox", { name: "Language" }).selectOption("pt-BR");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Central de Atendimento");
});

// The header is live as soon as the main bundle runs; the page itself waits for its part.
// A page is marked hydrated only once its part has been hydrated too, and a language
// chosen meanwhile reaches the page's texts.
test("a language chosen while the page's part downloads reaches the page", async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested: () => void = () => {};
  const partRequested = new Promise<void>((resolve) => (requested = resolve));
  // The page's part comes in its group's pack (tools/wasm-split).
  await page.route(/\/pack_[^/]*\.wasm$/, async (route) => {
    requested();
    await held;
    await route.continue();
  });
  await page.goto("/");
  await partRequested;
  await page.getByRole("combobox", { name: "Idioma" }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  release();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service Desk");
});

test("client-side navigation and the back button", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("navigation").getByRole("link", { name: "Cadastrar" }).click();
  await expect(page).toHaveURL(/\/cadastrar$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Solicitação de Acesso");
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Central de Atendimento");
});

test.describe("not found", () => {
  // The browser logs the document's own 404 status; nothing else may appear.
  test.use({ expectedConsoleErrors: [/^Failed to load resource: the server responded with a status of 404/] });

  test("an unknown address answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/nao-existe");
  expect(response?.status()).toBe(404);
  await hydrated(page);
    await page.getByRole("link", { name: "Voltar ao início" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Central de Atendimento");
  });

  test("no serious or critical accessibility violations on the not-found page", async ({ page }) => {
    await page.goto("/nao-existe");
    await hydrated(page);
    expect(await severeViolations(page)).toEqual([]);
  });
});

test("keyboard users can skip to the content", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Pular para o conteúdo" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("no serious or critical accessibility violations on the home page", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  expect(await severeViolations(page)).toEqual([]);
  await page.getByRole("combobox", { name: "Idioma" }).selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(await severeViolations(page)).toEqual([]);
  await page.getByRole("combobox", { name: "Language" }).selectOption("pt-BR");
});

for (const path of ["/entrar", "/cadastrar", "/esqueci-senha", "/redefinir-senha?token=x", "/perfil", "/portal", "/meus-tickets"]) {
  test(`no serious or critical accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    expect(await severeViolations(page)).toEqual([]);
  });
}
