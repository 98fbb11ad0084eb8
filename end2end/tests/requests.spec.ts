import * as fs from "node:fs";
import { Page } from "@playwright/test";
import { test, expect, hydrated } from "./fixtures";
import { login, newPerson, register } from "./helpers";

interface DroppedFile {
  name: string;
  bytes: number[];
  type: string;
}

/** Drops files on the drop zone as a person dragging them from their desktop would. */
async function dropFiles(page: Page, files: DroppedFile[]) {
  const transfer = await page.evaluateHandle((files: DroppedFile[]) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files);
  const zone = page.locator(".dropzone");
  await zone.dispatchEvent("dragenter", { dataTransfer: transfer });
  await expect(zone).toHaveClass(/dropzone-active/);
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Title (Fatura outubro) >>\nendobj\ntrailer\n<<>>\n%%EOF\n");
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(200_000, 7),
]);
const EXE = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00", "latin1"), Buffer.alloc(4000)]);

const PORTFOLIO = "CENTRAL DE ATENDIMENTO AO CLIENTE";

test("a new customer browses the portal, opens a request and follows it", async ({ page }) => {
  const p = newPerson("solicita");
  await register(page, p);
  await login(page, p.login, p.password);
  await expect(page.getByText(`Olá, ${p.name}`)).toBeVisible();
  await hydrated(page);

  // By clicks: portfolio → service → activity, each page with its own URL.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Portal" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole("link", { name: new RegExp(PORTFOLIO) }).click();
  await page.getByRole("link", { name: /^FATURAMENTO/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("FATURAMENTO");
  await page.getByRole("link", { name: /^Correção de Faturas/ }).click();
  const crumbs = page.getByRole("navigation", { name: "Trilha de navegação" });
  await expect(crumbs.getByRole("link")).toHaveText(["Portal", PORTFOLIO, "FATURAMENTO", "Correção de Faturas"]);
  await expect(crumbs.getByRole("link").last()).toHaveAttribute("aria-current", "page");
  await expect(crumbs.getByRole("link", { name: "FATURAMENTO" })).toHaveAttribute("href", /\/portal\/\d+\/\d+$/);
  await expect(page.getByText("Tipo: Requisição · Prioridade: 5 – Baixa · SLA: A combinar")).toBeVisible();

  // Back returns to the service's activities; forward to the form again.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("FATURAMENTO");
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correção de Faturas");

  // By search, accents and case aside.
  await page.getByRole("searchbox", { name: "Pesquise aqui" }).fill("correcao");
  await page.getByRole("button", { name: "Pesquisar", exact: true }).click();
  await expect(page).toHaveURL(/\/busca\?q=correcao$/);
  await page.getByRole("link", { name: "Correção de Faturas" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correção de Faturas");
  await hydrated(page);

  // First request: the requester's data, with a wrong CPF first.
  await page.getByLabel("Natureza", { exact: true }).selectOption("F");
  const document = page.getByLabel("CPF ou CNPJ", { exact: true });
  await document.fill("529.982.247-24");
  await document.blur();
  await expect(page.locator("#documento-erro")).toHaveText("CPF inválido: confira os 11 dígitos.");
  await document.fill("529.982.247-25");
  await document.blur();
  await expect(page.locator("#documento-erro")).toHaveText("");
  await page.getByLabel("CEP", { exact: true }).fill("70040-020");
  await page.getByRole("button", { name: "pesquisar", exact: true }).click();
  await expect(page.getByLabel("Cidade", { exact: true })).toHaveValue("Brasília");
  await expect(page.getByLabel("UF", { exact: true })).toHaveValue("DF");
  await expect(page.getByLabel("Endereço", { exact: true })).toHaveValue("SBN Quadra 2");
  await page.getByLabel("Nº", { exact: true }).fill("10");
  await page.getByLabel("Número da fatura", { exact: true }).fill("2026-000123");

  // The description is kept in the browser while typing: a reload loses nothing.
  const description = page.getByLabel("Descrição", { exact: true });
  await description.fill("A fatura de outubro veio com o valor errado.");

  // Two files by drag and drop, each with its progress, then listed as sent; a file
  // that is not what its name says is refused by the server, one with a forbidden type
  // at once in the browser; both can be removed.
  await expect(page.getByText("Arraste arquivos aqui ou clique para realizar upload.")).toBeVisible();
  await dropFiles(page, [
    { name: "Fatura outubro.pdf", bytes: [...PDF], type: "application/pdf" },
    { name: "comprovante.png", bytes: [...PNG], type: "image/png" },
    { name: "programa.pdf", bytes: [...EXE], type: "application/pdf" },
    { name: "programa.exe", bytes: [...EXE], type: "application/octet-stream" },
  ]);
  const uploads = page.locator(".upload-list");
  await expect(uploads.getByRole("listitem")).toHaveCount(4);
  await expect(uploads.getByRole("listitem").filter({ hasText: "Fatura outubro.pdf" })).toContainText("Enviado");
  await expect(uploads.getByRole("listitem").filter({ hasText: "comprovante.png" })).toContainText("Enviado");
  await expect(uploads.getByRole("listitem").filter({ hasText: "programa.pdf" })).toContainText(
    "O conteúdo do arquivo não corresponde à sua extensão",
  );
  await expect(uploads.getByRole("listitem").filter({ hasText: "programa.exe" })).toContainText("Tipo de arquivo não permitido");
  await page.getByRole("button", { name: "Remover programa.pdf" }).click();
  await page.getByRole("button", { name: "Remover programa.exe" }).click();
  await expect(uploads.getByRole("listitem")).toHaveCount(2);

  // The sent file downloads back byte for byte.
  const link = uploads.getByRole("link", { name: "Fatura outubro.pdf" });
  const pdfHref = (await link.getAttribute("href")) ?? "";
  expect(pdfHref).toMatch(/^\/anexos\/\d+$/);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe("Fatura outubro.pdf");
  expect(fs.readFileSync(await download.path())).toEqual(PDF);
  await expect(page.getByText(`${20000 - 44} caracteres restantes`)).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Descrição", { exact: true })).toHaveValue("A fatura de outubro veio com o valor errado.");
  await expect(page.getByText("Rascunho recuperado deste navegador.")).toBeVisible();
  // The files sent survive the reload too.
  await expect(page.locator(".upload-list").getByRole("listitem")).toHaveCount(2);

  // The reload cleared the unsaved profile fields: the form says so, beside each field.
  await page.getByRole("button", { name: "Concluir" }).click();
  await expect(page.locator("#natureza-erro")).toHaveText("Campo obrigatório.");
  await page.getByLabel("Natureza", { exact: true }).selectOption("F");
  await page.getByLabel("CPF ou CNPJ", { exact: true }).fill("529.982.247-25");
  await page.getByLabel("CEP", { exact: true }).fill("70040020");
  await page.getByLabel("Endereço", { exact: true }).fill("SBN Quadra 2");
  await page.getByLabel("Cidade", { exact: true }).fill("Brasília");
  await page.getByLabel("UF", { exact: true }).selectOption("DF");
  await page.getByLabel("Número da fatura", { exact: true }).fill("2026-000123");
  await page.getByRole("button", { name: "Concluir" }).click();

  // The pop-up: number in green, priority "Baixa"; Fechar leads to Meus Tickets.
  const popup = page.getByRole("dialog", { name: "Ticket(s) criado(s)" });
  await expect(popup).toBeVisible();
  const number = (await popup.locator(".ticket-number").innerText()).trim();
  expect(number).toMatch(/^\d+$/);
  await expect(popup.getByRole("cell", { name: "Baixa" })).toBeVisible();
  await expect(popup.getByRole("button", { name: "Fechar" })).toBeFocused();
  // The files now belong to the ticket, and still download byte for byte.
  const attached = await page.request.get(pdfHref);
  expect(attached.status()).toBe(200);
  expect(attached.headers()["content-disposition"]).toContain("attachment;");
  expect(Buffer.from(await attached.body())).toEqual(PDF);
  await popup.getByRole("button", { name: "Fechar" }).click();
  await expect(page).toHaveURL(/\/meus-tickets$/);
  const row = page.getByRole("row", { name: new RegExp(`^${number} `) });
  await expect(row).toContainText("Requisição");
  await expect(row).toContainText("FATURAMENTO");
  await expect(row).toContainText("Correção de Faturas");
  await expect(row).toContainText("Triagem");
  await expect(row).toContainText("1º Nível - NUATE");
  await expect(row).toContainText("Em Andamento");
  await expect(row).toContainText("A combinar");
  await expect(row).toContainText("Normal");
  await expect(row.getByRole("cell").nth(11)).toHaveText("5");

  // The draft is gone, and the next request comes with the profile filled in.
  await page.goto(page.url().replace(/\/meus-tickets$/, "/busca?q=correcao"));
  await page.getByRole("link", { name: "Correção de Faturas" }).click();
  await hydrated(page);
  await expect(page.getByLabel("CPF ou CNPJ", { exact: true })).toHaveValue("529.982.247-25");
  await expect(page.getByLabel("Cidade", { exact: true })).toHaveValue("Brasília");
  await expect(page.getByLabel("Descrição", { exact: true })).toHaveValue("");
});

test("the portal asks visitors to sign in first", async ({ page }) => {
  await page.goto("/portal/1/1/1");
  await hydrated(page);
  await expect(page.getByText("Entre para continuar.")).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Entrar" })).toHaveAttribute("href", "/entrar?next=/portal/1/1/1");
});
