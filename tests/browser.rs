//! The browser tests (`tests/browser/*.spec.js`): Playwright drives Debian's headless Chromium
//! through the whole flow against the `passerelle` binary, with axe-core checks and screenshots.
//!
//! They need Node.js and Chromium. Without them this test says why and skips, unless
//! `REQUIRE_BROWSER_TESTS` is set (CI sets it after installing both), when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn missing(what: &str) {
    if std::env::var_os("REQUIRE_BROWSER_TESTS").is_some() {
        panic!("browser tests required, but {what}");
    }
    eprintln!("skipping the browser tests: {what} (see README, \"Browser tests\")");
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

#[test]
fn whole_flow_in_chromium_with_accessibility_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = chromium();
    if !chromium.exists() {
        return missing(&format!("{} is not installed", chromium.display()));
    }
    if Command::new("npm").arg("--version").output().is_err() {
        return missing("npm is not installed");
    }
    if !dir.join("node_modules/@playwright/test").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci failed in {}", dir.display());
    }
    let target = PathBuf::from(env!("CARGO_BIN_EXE_passerelle"));
    let screenshots = target
        .parent()
        .expect("the binary is in a directory")
        .join("browser-screenshots");
    let status = Command::new("npx")
        .args(["playwright", "test"])
        .env("BROWSER_TEST_BINARY", &target)
        .env("CHROMIUM", &chromium)
        .env("BROWSER_TEST_SCREENSHOTS", &screenshots)
        .current_dir(&dir)
        .status()
        .expect("npx runs");
    assert!(
        status.success(),
        "the browser tests failed (traces in tests/browser/test-results)"
    );
    eprintln!("screenshots of the main pages: {}", screenshots.display());
}
