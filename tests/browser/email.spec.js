// What arrives by email, followed in a real browser: a password reset, an address confirmation and
// an invitation. The server has no smtp_url, so it writes each message to <data_dir>/mail/*.eml;
// the tests read the link from the message as a person would from their mailbox.
const { test, expect } = require("@playwright/test");
const fs = require("fs");
const path = require("path");

const MAIL = path.join(process.env.BROWSER_TEST_DATA_DIR || "", "mail");
const run = Date.now().toString(36);
const DEMO_PASSWORD = "demo-passerelle-2026";

/** Decodes a quoted-printable body. */
function unQuote(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The link to `route` in the newest message of `kind` to `address`, waiting for it. */
async function linkFrom(kind, address, route) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const files = fs.existsSync(MAIL) ? fs.readdirSync(MAIL).filter((f) => f.endsWith(".eml")) : [];
    const found = files
      .map((f) => ({ f, at: fs.statSync(path.join(MAIL, f)).mtimeMs, text: fs.readFileSync(path.join(MAIL, f), "utf8") }))
      .filter((m) => m.text.includes(`X-Passerelle-Kind: ${kind}`) && m.text.toLowerCase().includes(address.toLowerCase()))
      .sort((a, b) => b.at - a.at);
    if (found.length > 0) {
      const body = unQuote(found[0].text);
      const link = body.match(new RegExp(`https?://[^\\s"<>]*${route}\\?token=[A-Za-z0-9_-]+`));
      expect(link, `a ${route} link in the ${kind} email`).not.toBeNull();
      return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${kind} email reached ${address} in ${MAIL}`);
}

test.describe.serial("links by email", () => {
  test("a forgotten password is reset from the emailed link", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-CA" });
    const page = await context.newPage();
    const email = "sophie.tremblay@paniers-pointe.example";
    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.locator('[name="email"]').fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect(page.getByRole("status")).toContainText("is on its way");

    await page.goto(await linkFrom("password_reset", email, "/password-reset/confirm"));
    await page.locator('[name="password"]').fill(`a new garden of words ${run}`);
    await page.getByRole("button", { name: "Save the password" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.locator(".flash")).toContainText("Your password is changed");
    await page.locator('[name="email"]').fill(email);
    await page.locator('[name="password"]').fill(`a new garden of words ${run}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/my/);
    await context.close();
  });

  test("a new account confirms its address, then invites a colleague who joins", async ({ browser }) => {
    const owner = await (await browser.newContext({ locale: "fr-CA" })).newPage();
    const email = `direction-${run}@entraide.example`;
    await owner.goto("/signup");
    await owner.locator('[name="display_name"]').fill("Julie Roy");
    await owner.locator('[name="email"]').fill(email);
    await owner.locator('[name="password"]').fill("une phrase de passe solide 2026");
    await owner.locator('[name="organization.name"]').fill(`Entraide Rosemont ${run}`);
    await owner.locator('[name="organization.kind"]').selectOption("nonprofit");
    await owner.locator('[name="organization.province"]').selectOption("QC");
    await owner.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(owner).toHaveURL(/\/my/);

    await owner.goto(await linkFrom("confirm_email", email, "/confirm-email"));
    await owner.getByRole("button", { name: "Confirmer mon adresse" }).click();
    await expect(owner.locator(".flash")).toContainText("Votre adresse courriel est confirmée");

    // The owner invites a colleague who already has an account (a demo user).
    const colleague = "mgagnon@cap-horizon.example";
    await owner.goto("/my");
    await owner.getByRole("link", { name: "Membres" }).first().click();
    await owner.locator('[name="email"]').fill(colleague);
    await owner.getByRole("button", { name: "Envoyer l’invitation" }).click();
    await expect(owner.locator(".flash")).toContainText("L’invitation est en route");

    const guest = await (await browser.newContext({ locale: "en-CA" })).newPage();
    await guest.goto(await linkFrom("invitation", colleague, "/invitations"));
    await expect(guest.getByRole("heading", { level: 1 })).toContainText(`Join Entraide Rosemont ${run}`);
    await guest.getByRole("link", { name: "Sign in to accept" }).click();
    await guest.locator('[name="email"]').fill(colleague);
    await guest.locator('[name="password"]').fill(DEMO_PASSWORD);
    await guest.getByRole("button", { name: "Sign in" }).click();
    await expect(guest.getByRole("heading", { level: 1 })).toContainText(`Join Entraide Rosemont ${run}`);
    await guest.getByRole("button", { name: "Join the organization" }).click();
    await expect(guest.locator(".flash")).toContainText("you are now a member");

    // Someone without an account signs up from the invitation and comes back to it.
    const newcomer = `benevole-${run}@entraide.example`;
    await owner.goto("/my");
    await owner.getByRole("link", { name: "Membres" }).first().click();
    await owner.locator('[name="email"]').fill(newcomer);
    await owner.getByRole("button", { name: "Envoyer l’invitation" }).click();
    await expect(owner.locator(".flash")).toContainText("L’invitation est en route");
    const fresh = await (await browser.newContext({ locale: "fr-CA" })).newPage();
    await fresh.goto(await linkFrom("invitation", newcomer, "/invitations"));
    await fresh.getByRole("link", { name: "ou créer un compte pour accepter" }).click();
    await fresh.locator('[name="display_name"]').fill("Karim Benali");
    await fresh.locator('[name="email"]').fill(newcomer);
    await fresh.locator('[name="password"]').fill("un bénévole du mardi soir 2026");
    await fresh.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(fresh.getByRole("heading", { level: 1 })).toContainText(`Entraide Rosemont ${run}`);
    await fresh.getByRole("button", { name: "Rejoindre l’organisme" }).click();
    await expect(fresh.locator(".flash")).toContainText("vous êtes maintenant membre");
  });
});
