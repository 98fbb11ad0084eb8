// Helpers for the account journeys: registering through the real form (solving the
// CAPTCHA as a person would, by reading the operation), reading mail the server wrote
// as .eml files, and asking the server's own CLI what is stored.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { APIRequestContext, Page, expect } from "@playwright/test";
import { atendeBinary, atendeEnv, baseURL, dataDir } from "../env";
import { hydrated } from "./fixtures";

export interface Person {
  name: string;
  person: "F" | "J";
  phone: string;
  cep: string;
  address: string;
  email: string;
  login: string;
  password: string;
}

let counter = 0;
/** A new, valid person with a unique login and email. */
export function newPerson(prefix = "pessoa"): Person {
  counter += 1;
  const id = `${prefix}${Date.now().toString(36)}${counter}`;
  return {
    name: "Maria da Silva",
    person: "F",
    phone: "(61) 99999-8888",
    cep: "70040-020",
    address: "SBN Quadra 2, Asa Norte, Brasília/DF",
    email: `${id}@exemplo.com.br`,
    login: id,
    password: "segredo123",
  };
}

export async function fillRegistration(page: Page, p: Person) {
  await page.getByLabel("Nome", { exact: true }).fill(p.name);
  await page.getByLabel("Pessoa", { exact: true }).selectOption(p.person);
  await page.getByLabel("Telefone", { exact: true }).fill(p.phone);
  await page.getByLabel("CEP", { exact: true }).fill(p.cep);
  await page.getByLabel("Endereço", { exact: true }).fill(p.address);
  await page.getByLabel("Email", { exact: true }).fill(p.email);
  await page.getByLabel("Login", { exact: true }).fill(p.login);
  await page.getByLabel("Senha", { exact: true }).fill(p.password);
  await page.getByLabel("Digite novamente a senha", { exact: true }).fill(p.password);
}

/** Reads "Complete a operação a + [] = c" and types c − a. */
export async function solveCaptcha(page: Page) {
  const operation = page.locator(".captcha-operation");
  await expect(operation).toBeVisible();
  const text = (await operation.innerText()).replace(/\s+/g, " ");
  const match = /(\d+) \+ = (\d+)/.exec(text) ?? /(\d+) \+\s*=\s*(\d+)/.exec(text);
  if (!match) throw new Error(`cannot read the operation: ${text}`);
  const answer = Number(match[2]) - Number(match[1]);
  await page.getByLabel("Resultado que falta na operação").fill(String(answer));
}

export async function register(page: Page, p: Person) {
  await page.goto("/cadastrar");
  await hydrated(page);
  await fillRegistration(page, p);
  await solveCaptcha(page);
  await page.getByRole("button", { name: "Solicitar acesso" }).click();
  await expect(page).toHaveURL(/\/entrar\?cadastro=ok$/);
}

export async function login(page: Page, user: string, password: string) {
  await page.goto("/entrar");
  await hydrated(page);
  await page.getByLabel("Insira o seu usuário").fill(user);
  await page.getByLabel("Insira sua senha").fill(password);
  await page.getByRole("button", { name: "ENTRAR" }).click();
}

/** `atende user list`, run against the end2end server's data directory. */
export function storedLogins(): string[] {
  const out = execFileSync(atendeBinary, ["user", "list"], { env: atendeEnv, encoding: "utf8" });
  return out
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t")[1]);
}

/** The text of every .eml the server wrote, newest last, with bodies decoded. */
export function sentMail(): string[] {
  const dir = path.join(dataDir, "mail");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map((file) => decodeMail(fs.readFileSync(file, "utf8")));
}

function decodeMail(raw: string): string {
  const split = raw.indexOf("\r\n\r\n") >= 0 ? raw.indexOf("\r\n\r\n") : raw.indexOf("\n\n");
  const headers = raw.slice(0, split);
  const body = raw.slice(split).trim();
  // A multipart message (the outbox's text + HTML): each part decoded on its own.
  const boundary = /Content-Type:\s*multipart\/[a-z]+;[\s\S]*?boundary="?([^";\r\n]+)"?/i.exec(headers);
  if (boundary) {
    const parts = body.split(`--${boundary[1]}`).filter((part) => part.trim() && !part.startsWith("--"));
    return headers + "\n\n" + parts.map((part) => decodeMail(part.replace(/^\r?\n/, ""))).join("\n");
  }
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers)) {
    return headers + "\n\n" + Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return headers + "\n\n" + Buffer.from(bytes, "latin1").toString("utf8");
  }
  return raw;
}

/** A server function call from the signed-in page, as the page itself would send it. */
export async function call(request: APIRequestContext, endpoint: string, body: unknown) {
  return request.post(`/api/${endpoint}`, { data: body, headers: { origin: baseURL } });
}

/** Opens a "Correção de Faturas" request through the API and returns its number. */
export async function openRequest(page: Page, description: string): Promise<string> {
  const hits = await (await call(page.request, "portal-search", { query: "correcao de faturas" })).json();
  const hit = hits[0];
  const form = await (
    await call(page.request, "request-form", {
      portfolio_id: hit.portfolio.id,
      service_id: hit.service.id,
      activity_id: hit.activity.id,
    })
  ).json();
  const created = await call(page.request, "request-create", {
    input: {
      activity_id: hit.activity.id,
      profile: {
        nature: "F", document: "529.982.247-25", cep: "70040-020", street: "SBN Quadra 2",
        number: "10", complement: "", district: "Asa Norte", city: "Brasília", uf: "DF",
      },
      title: "",
      fields: [[form.fields[0].id, "2026-000123"]],
      description,
    },
  });
  expect(created.status()).toBe(200);
  return String((await created.json()).number);
}

/** Creates a staff member through the CLI, password "equipe1234" (optionally in a group). */
export function createStaff(login: string, name: string, role: "agent" | "manager" | "admin", group?: string) {
  execFileSync(
    atendeBinary,
    ["user", "create", "--login", login, "--name", name, "--email", `${login}@atende.example`,
      "--role", role, ...(group ? ["--group", group] : []), "--password-stdin"],
    { env: atendeEnv, encoding: "utf8", input: "equipe1234\n" },
  );
}
