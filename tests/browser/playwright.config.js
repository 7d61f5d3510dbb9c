// Runs the Passerelle binary (BROWSER_TEST_BINARY, built by `cargo build`) on a fresh data directory with
// the demo data, and drives Debian's Chromium (CHROMIUM, default /usr/bin/chromium).
const { defineConfig } = require("@playwright/test");
const fs = require("fs");
const os = require("os");
const path = require("path");

const port = Number(process.env.BROWSER_TEST_PORT || 3917);
// The workers load this file again: they take the directory the main process made (and the server
// uses). Without smtp_url the server writes each email to <data_dir>/mail/*.eml, read there.
const dataDir =
  process.env.BROWSER_TEST_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-browser-"));
process.env.BROWSER_TEST_DATA_DIR = dataDir;
const { ADMIN_EMAIL, ADMIN_PASSWORD } = require("./admin.js");
const binary = process.env.BROWSER_TEST_BINARY || path.resolve(__dirname, "../../target/debug/passerelle");

module.exports = defineConfig({
  testDir: ".",
  testMatch: "*.spec.js",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [["list"]],
  outputDir: process.env.BROWSER_TEST_OUTPUT || path.resolve(__dirname, "test-results"),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: process.env.CHROMIUM || "/usr/bin/chromium" },
    trace: "retain-on-failure",
  },
  webServer: {
    // A fresh database with an administrator (ADMIN_EMAIL, ADMIN_PASSWORD), then the demo data.
    command:
      `"${binary}" migrate --data-dir "${dataDir}" && ` +
      `printf '%s\n' "${ADMIN_PASSWORD}" | "${binary}" admin create --email ${ADMIN_EMAIL} --name Admin --data-dir "${dataDir}" && ` +
      `exec "${binary}" serve --demo --listen 127.0.0.1:${port} --data-dir "${dataDir}"`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
