// Where the end2end server runs and what it is started with; shared by the Playwright
// config and the tests (which run `atende user …` against the same data directory).
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
export const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
export const port = Number(process.env.ATENDE_E2E_PORT ?? 3199);
export const viacepPort = Number(process.env.ATENDE_E2E_VIACEP_PORT ?? 3198);
export const dataDir = process.env.ATENDE_E2E_DATA_DIR ?? path.join(targetDir, "e2e-data");
export const baseURL = `http://127.0.0.1:${port}`;
export const atendeBinary = path.join(targetDir, "debug", "atende");
export const atendeEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  ATENDE_ADDR: `127.0.0.1:${port}`,
  ATENDE_DATA_DIR: dataDir,
  ATENDE_SITE_ROOT: path.join(targetDir, "site"),
  ATENDE_VIACEP_URL: `http://127.0.0.1:${viacepPort}/ws`,
  // The tests move the server's (and the CLI's) clock by writing seconds here.
  ATENDE_CLOCK_OFFSET_FILE: path.join(dataDir, "clock-offset"),
  RUST_LOG: "warn",
};

export const clockOffsetFile = path.join(dataDir, "clock-offset");
