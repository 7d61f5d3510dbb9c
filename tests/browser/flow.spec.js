// The whole flow of issue 5 in a real browser, in both languages, with axe-core checks and
// screenshots of the main pages (written to SCREENSHOTS, printed at the end).
const { test, expect } = require("@playwright/test");
const AxeBuilder = require("@axe-core/playwright").default;
const { ADMIN_EMAIL, ADMIN_PASSWORD } = require("./admin.js");
const fs = require("fs");
const path = require("path");

const SCREENSHOTS = process.env.BROWSER_TEST_SCREENSHOTS || path.resolve(__dirname, "screenshots");
fs.mkdirSync(SCREENSHOTS, { recursive: true });

const run = Date.now().toString(36);
const nonprofit = { email: `coordination-${run}@banque-alimentaire.example`, password: "un jardin de mots clairs 2026" };
const company = { email: `community-${run}@northwind.example`, password: "a quiet harbour of words 2026" };
const needTitle = `Formation en cybersécurité pour nos bénévoles ${run}`;
const offerTitle = `Cybersecurity awareness training for nonprofit staff ${run}`;

/** Fails on serious or critical axe-core violations of the page as it is. */
async function checkAccessibility(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe-core on ${name}`).toEqual([]);
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in a demo account (the README's password) with the page's sign-in button. */
async function signInDemo(page, email, button) {
  await page.goto("/signin");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill("demo-passerelle-2026");
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(/\/my/);
}

/** Fails when the page scrolls sideways. */
async function fits(page, name) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${name} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
}

async function signUp(page, who, org) {
  await page.goto("/signup");
  // Required fields' labels end with a "*" that assistive technologies skip: find them by role and name.
  await page.getByRole("textbox", { name: org.labels.name, exact: true }).fill(who.name);
  await page.getByRole("textbox", { name: org.labels.email, exact: true }).fill(who.email);
  await page.getByRole("textbox", { name: org.labels.password, exact: true }).fill(who.password);
  await page.locator('[name="organization.name"]').fill(org.name);
  await page.locator('[name="organization.kind"]').selectOption(org.kind);
  await page.locator('[name="organization.province"]').selectOption(org.province);
  await page.locator('[name="organization.city"]').fill(org.city);
  await page.locator('[name="organization.contact_email"]').fill(who.email);
  await page.locator('[name="organization.contact_phone"]').fill(org.phone);
  await checkAccessibility(page, `signup (${org.lang})`);
  await shoot(page, `${org.lang}-signup`);
  await page.getByRole("button", { name: org.labels.submit }).click();
  await expect(page).toHaveURL(/\/my/);
}

test.describe.serial("a nonprofit and a company become partners", () => {
  let frContext, enContext, fr, en;

  test.beforeAll(async ({ browser }) => {
    // The language comes from the browser's Accept-Language.
    frContext = await browser.newContext({ locale: "fr-CA" });
    enContext = await browser.newContext({ locale: "en-CA" });
    fr = await frContext.newPage();
    en = await enContext.newPage();
  });

  test.afterAll(async () => {
    await frContext.close();
    await enContext.close();
    console.log(`Screenshots: ${SCREENSHOTS}`);
  });

  test("the home page speaks the browser's language, and the switch is remembered", async () => {
    await fr.goto("/");
    await expect(fr.locator("html")).toHaveAttribute("lang", "fr");
    await expect(fr.getByRole("heading", { level: 1 })).toContainText("Trouvez des partenaires");
    await checkAccessibility(fr, "home (fr)");
    await shoot(fr, "fr-home");

    await en.goto("/");
    await expect(en.locator("html")).toHaveAttribute("lang", "en");
    await expect(en.getByRole("heading", { level: 1 })).toContainText("Find partners");
    await checkAccessibility(en, "home (en)");
    await shoot(en, "en-home");

    // Switching: the English browser asks for French, and keeps it on the next page.
    await en.getByRole("link", { name: "Français" }).click();
    await expect(en.locator("html")).toHaveAttribute("lang", "fr");
    await en.goto("/search");
    await expect(en.locator("html")).toHaveAttribute("lang", "fr");
    await en.getByRole("link", { name: "English" }).click();
    await expect(en.locator("html")).toHaveAttribute("lang", "en");
  });

  test("the search box suggests words as you type", async () => {
    await fr.goto("/");
    await fr.locator("#q").pressSequentially("cybers", { delay: 30 });
    await expect(fr.locator("#q-suggestions option").first()).toHaveAttribute("value", /^cybers/);
  });

  test("search finds postings in both languages, with facets", async () => {
    await fr.goto("/search?q=" + encodeURIComponent("formation en cybersécurité"));
    await expect(fr.locator(".results li").first()).toBeVisible();
    await expect(fr.getByRole("heading", { name: /résultat/ })).toBeVisible();
    await checkAccessibility(fr, "search (fr)");
    await shoot(fr, "fr-search");
    // A facet narrows the results (offers only); ticking a second value widens them again.
    await fr.locator('input[name="kind"][value="offer"]').check();
    await fr.waitForURL(/kind=offer/);
    for (const tag of await fr.locator(".results li .tag").allTextContents()) {
      expect(tag).toBe("Offre");
    }
    await fr.locator('input[name="kind"][value="need"]').check();
    await fr.waitForURL(/kind=need/);
    await expect(fr.locator('input[name="kind"][value="offer"]')).toBeChecked();
    await expect(fr.locator(".results li .tag", { hasText: "Besoin" }).first()).toBeVisible();
    await expect(fr.locator(".results li .tag", { hasText: "Offre" }).first()).toBeVisible();

    await en.goto("/search?q=website");
    await expect(en.locator(".results li").first()).toBeVisible();
    await checkAccessibility(en, "search (en)");
    await shoot(en, "en-search");
  });

  test("a nonprofit signs up and posts a need in French", async () => {
    await signUp(fr, { ...nonprofit, name: "Sophie Gagnon" }, {
      lang: "fr",
      name: `Banque alimentaire du Plateau ${run}`,
      kind: "nonprofit",
      province: "QC",
      city: "Montréal",
      phone: "514 555 0199",
      labels: { name: "Votre nom", email: "Courriel", password: "Mot de passe", submit: "Créer mon compte" },
    });
    await expect(fr.locator(".flash")).toContainText("Bienvenue");
    await checkAccessibility(fr, "my organization (fr)");

    await fr.getByRole("link", { name: "Publier un besoin" }).click();
    // A refused form keeps what was typed and says why beside the field, in French.
    await fr.getByLabel("Description").fill("Nos bénévoles doivent apprendre à reconnaître l'hameçonnage.");
    await fr.getByRole("button", { name: "Enregistrer" }).click();
    await expect(fr.locator("#title-error")).toContainText("au moins 5 caractères");
    await expect(fr.locator("#category-error")).toContainText("choisissez une catégorie");
    await expect(fr.getByLabel("Description")).toHaveValue(/reconnaître l'hameçonnage/);
    await checkAccessibility(fr, "need form with errors (fr)");
    await shoot(fr, "fr-need-form-errors");

    await fr.getByLabel("Titre").fill(needTitle);
    await fr.getByLabel("Description").fill(
      "Nos 40 bénévoles utilisent leurs téléphones et nos ordinateurs pour les inscriptions. " +
        "Nous cherchons une formation en cybersécurité : reconnaître l'hameçonnage, gérer les mots de passe."
    );
    await fr.getByLabel("Catégorie", { exact: true }).selectOption("cybersecurity");
    // Long skill names: the posting's page must still fit a phone (checked further on).
    await fr.locator("details", { has: fr.locator('input[value="phishing_training"]') }).locator("summary").click();
    await fr.getByLabel("Formation de sensibilisation à l'hameçonnage").check();
    await fr.getByLabel("Authentification multifacteur et sécurité des comptes").check();
    await fr.getByLabel("Possible à distance").check();
    await fr.getByRole("button", { name: "Enregistrer" }).click();
    await expect(fr.getByRole("heading", { level: 1 })).toHaveText(needTitle);
  });

  test("a company signs up and posts an offer in English", async () => {
    await signUp(en, { ...company, name: "Daniel Osei" }, {
      lang: "en",
      name: `Northwind Security ${run}`,
      kind: "company",
      province: "ON",
      city: "Toronto",
      phone: "416 555 0142",
      labels: { name: "Your name", email: "Email", password: "Password", submit: "Create my account" },
    });
    await en.getByRole("link", { name: "Post an offer" }).click();
    await checkAccessibility(en, "offer form (en)");
    await shoot(en, "en-offer-form");
    await en.getByLabel("Title").fill(offerTitle);
    await en.getByLabel("Description").fill(
      "Our security team gives free cybersecurity training to nonprofit staff and volunteers: " +
        "phishing, passwords and safe use of phones, online, in English or French."
    );
    await en.getByLabel("Category", { exact: true }).selectOption("cybersecurity");
    await en.getByLabel("Can be done remotely").check();
    await en.locator('[name="quantity"]').fill("5");
    await en.getByRole("button", { name: "Save" }).click();
    await expect(en.getByRole("heading", { level: 1 })).toHaveText(offerTitle);
    await checkAccessibility(en, "offer page (en)");
    await shoot(en, "en-offer");
  });

  test("the nonprofit finds the offer among its suggested partners and proposes", async () => {
    await fr.goto("/my");
    await fr.getByRole("link", { name: needTitle, exact: true }).click();
    const suggestion = fr.locator(".results li", { hasText: offerTitle });
    // The offer is searchable within half a second of being saved; allow a reload or two.
    await expect(async () => {
      await fr.reload();
      await expect(suggestion).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(suggestion.locator(".reasons li").first()).toBeVisible();
    await checkAccessibility(fr, "need page (fr)");
    await shoot(fr, "fr-need");
    await suggestion.getByRole("link", { name: /Proposer un partenariat/ }).click();
    // An empty message is refused beside the field.
    await fr.getByRole("button", { name: "Envoyer la proposition" }).click();
    await expect(fr.locator("#message-error")).toBeVisible();
    await fr.getByLabel("Votre message").fill("Bonjour! Nous aimerions une séance en ligne pour nos bénévoles en janvier.");
    await checkAccessibility(fr, "proposal form (fr)");
    await fr.getByRole("button", { name: "Envoyer la proposition" }).click();
    await expect(fr.locator(".flash")).toContainText("proposition est envoyée");
    // No contact details before the company says yes.
    await expect(fr.locator("#proposals")).not.toContainText(company.email);
  });

  test("the company first declines with a reason, which the nonprofit reads; it proposes again", async () => {
    await en.goto("/my");
    const received = en.locator("#proposals .card", { hasText: needTitle });
    await received.getByRole("link", { name: "Decline" }).click();
    // With scripts on, the confirmation opens over the page; nothing is declined yet.
    const dialog = en.getByRole("dialog", { name: "Decline this proposal?" });
    await expect(dialog).toBeVisible();
    await checkAccessibility(en, "decline dialog (en)");
    await dialog.getByRole("link", { name: "Go back" }).click();
    await expect(dialog).toHaveCount(0);
    await received.getByRole("link", { name: "Decline" }).click();
    await dialog.getByLabel("We do not have the capacity right now").check();
    await dialog.getByLabel("In your own words (optional)").fill("Our January sessions are full; try us again in February.");
    await dialog.getByRole("button", { name: "Decline the proposal" }).click();
    await expect(en.locator(".flash")).toContainText("Declined");

    await fr.goto("/notifications");
    await expect(fr.locator("main")).toContainText(
      "Motif donné : Nous n’avons pas la capacité en ce moment — « Our January sessions are full; try us again in February. »",
    );
    await fr.goto("/my");
    // The declined proposal is listed with its reason too.
    await expect(fr.locator("#partnerships")).toContainText("Nous n’avons pas la capacité en ce moment");
    // An offer that declined the need is no longer suggested for it...
    await fr.getByRole("link", { name: needTitle, exact: true }).first().click();
    await expect(fr.locator(".results li", { hasText: offerTitle })).toHaveCount(0);
    // ...but its own page, where the way to answer comes first, still takes a new proposal.
    await fr.goto("/my");
    await fr.getByRole("link", { name: offerTitle, exact: true }).first().click();
    await fr.getByRole("button", { name: /Proposer un partenariat à Northwind Security/ }).click();
    await expect(fr.getByRole("heading", { level: 1 })).toContainText("Northwind Security");
    await fr.getByLabel("Votre message").fill("Février nous convient très bien, merci!");
    await fr.getByRole("button", { name: "Envoyer la proposition" }).click();
    await expect(fr.locator(".flash")).toContainText("proposition est envoyée");
  });

  test("the company accepts; contact details wait until both organizations are verified", async () => {
    await en.goto("/my");
    const received = en.locator("#proposals .card", { hasText: needTitle });
    await expect(received).toBeVisible();
    await expect(received).not.toContainText(nonprofit.email);
    await checkAccessibility(en, "my organization with a proposal (en)");
    await shoot(en, "en-my-organization");
    await received.getByRole("button", { name: "Accept" }).click();
    await expect(en.locator(".flash")).toContainText("Accepted");
    const partnerships = en.locator("#partnerships");
    await expect(partnerships).toContainText("Contact details are shared once an administrator has verified both organizations.");
    await expect(partnerships).not.toContainText(nonprofit.email);

    await fr.goto("/my");
    await expect(fr.locator("#partnerships")).toContainText("une fois les deux organismes vérifiés par un administrateur");
    await expect(fr.locator("#partnerships")).not.toContainText(company.email);
    await shoot(fr, "fr-my-organization");
  });

  test("the nonprofit completes the partnership with an outcome", async () => {
    await fr.goto("/my");
    await fr.getByRole("link", { name: "Terminer et rendre compte des résultats" }).click();
    await fr.getByLabel("Heures données").fill("douze");
    await fr.getByRole("button", { name: "Terminer le partenariat" }).click();
    await expect(fr.locator('[id="outcome.hours-error"]')).toContainText("doit être un nombre");
    await expect(fr.getByLabel("Heures données")).toHaveValue("douze");
    await checkAccessibility(fr, "completion form (fr)");
    await shoot(fr, "fr-complete-form");
    await fr.getByLabel("Heures données").fill("12,5");
    await fr.getByLabel("Valeur donnée, en dollars canadiens").fill("2500");
    await fr.getByLabel("Ce qui a été fourni").fill("Deux séances en ligne pour 38 bénévoles, avec un guide imprimé.");
    await fr.locator('[name="outcome.indicators[0].name"]').fill("Bénévoles qui repèrent un courriel d'hameçonnage");
    await fr.locator('[name="outcome.indicators[0].before"]').fill("9");
    await fr.locator('[name="outcome.indicators[0].after"]').fill("35");
    await fr.getByRole("button", { name: "Terminer le partenariat" }).click();
    await expect(fr.locator(".flash")).toContainText("Terminé");
    await expect(fr.locator("#partnerships")).toContainText("12,5 heures");
  });

  test("an administrator verifies the new organizations", async ({ browser }) => {
    const context = await browser.newContext({ locale: "fr-CA" });
    const admin = await context.newPage();
    await admin.goto("/signin");
    await admin.getByRole("textbox", { name: "Courriel", exact: true }).fill(ADMIN_EMAIL);
    await admin.getByRole("textbox", { name: "Mot de passe", exact: true }).fill(ADMIN_PASSWORD);
    await admin.getByRole("button", { name: "Se connecter" }).click();
    await admin.getByRole("link", { name: "Administration" }).click();
    const row = admin.locator("tr", { hasText: `Banque alimentaire du Plateau ${run}` });
    await expect(row).toBeVisible();
    await checkAccessibility(admin, "administration (fr)");
    await shoot(admin, "fr-admin");
    await row.getByRole("button", { name: /Vérifier/ }).click();
    await expect(admin.locator(".flash")).toContainText("vérifié");
    await expect(row).toHaveCount(0);
    // Until its partner is verified too, the nonprofit still sees no contact details.
    await fr.goto("/my");
    await expect(fr.locator("#partnerships")).toContainText("une fois Northwind Security");
    await admin.locator("tr", { hasText: `Northwind Security ${run}` }).getByRole("button", { name: /Vérifier/ }).click();
    await expect(admin.locator(".flash")).toContainText("vérifié");
    // Now both sides see each other's details.
    await fr.goto("/my");
    await expect(fr.locator("#partnerships")).toContainText(company.email);
    await en.goto("/my");
    await expect(en.locator("#partnerships")).toContainText(nonprofit.email);
    await admin.getByRole("link", { name: "English" }).click();
    await checkAccessibility(admin, "administration (en)");
    await shoot(admin, "en-admin");
    await context.close();
  });

  test("every main page fits a 390 px phone screen, in both languages", async () => {
    const pages = ["/", "/search?q=cyber", "/my", "/my/account", "/my/members", "/notifications", "/help", "/signup"];
    for (const page of [fr, en]) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto("/my");
      const links = page.locator("#partnerships a[href^='/partnerships/']");
      const partnership = await links.first().getAttribute("href");
      const need = await page.getByRole("link", { name: needTitle, exact: true }).first().getAttribute("href");
      const offer = await page.getByRole("link", { name: offerTitle, exact: true }).first().getAttribute("href");
      for (const path of [...pages, partnership, need, offer]) {
        await page.goto(path);
        const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        expect(scroll, `${path} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test("on a phone the search filters fold behind a button, and the first result shows at once", async () => {
    await en.setViewportSize({ width: 390, height: 844 });
    await en.goto("/search?q=cyber&kind=offer");
    const first = en.locator("ul.results > li").first();
    await expect(first).toBeVisible();
    const box = await first.boundingBox();
    expect(box.y, "the first result starts on the first screen").toBeLessThan(844);
    const filters = en.locator("details.filters");
    await expect(filters.locator("summary")).toHaveText("Filters (1)");
    await expect(filters.getByRole("group", { name: "Category" })).toBeHidden();
    await filters.locator("summary").click();
    await expect(filters.getByRole("group", { name: "Category" })).toBeVisible();
    await checkAccessibility(en, "search on a phone (en)");
    await en.setViewportSize({ width: 1280, height: 800 });
    await en.goto("/search?q=cyber&kind=offer");
    await expect(en.locator("details.filters summary")).toBeHidden();
    await expect(en.getByRole("group", { name: "Category" })).toBeVisible();
  });

  test("with no open need left, the nonprofit answers another offer in a few words", async () => {
    // An open offer whose rules let a Quebec nonprofit receive it.
    const offers = await (await fr.request.get("/api/v1/offers?status=open&limit=100")).json();
    const fits = offers.items.find((o) => {
      const rules = o.eligibility || {};
      return (rules.provinces || []).length === 0 && (rules.org_kinds || []).length === 0 &&
        (rules.cause_areas || []).length === 0 && !rules.requires_charity_number && o.quantity > 1;
    });
    expect(fits, "an open offer without rules in the demo data").toBeTruthy();
    await fr.goto(`/offers/${fits.id}`);
    const form = fr.locator(`form[action="/offers/${fits.id}/interest"]`);
    await expect(form).toBeVisible();
    await checkAccessibility(fr, "offer page with the short answer (fr)");
    // Sent empty, the field says what is missing, in French.
    await form.getByRole("button").click();
    await expect(fr.locator("#description-error")).toBeVisible();
    await expect(fr.locator("#description-error")).toContainText("au moins 10");
    await fr.locator("#description").fill("Former nos bénévoles de l'accueil aux outils numériques.");
    await fr.locator("#quantity").fill("2");
    await form.getByRole("button").click();
    await expect(fr.locator(".flash")).toContainText("Votre proposition est envoyée");
    await expect(fr.locator("main")).toContainText("Couvre : 2");
    // The need was published for the nonprofit, with the offer's title.
    await fr.goto("/my");
    await expect(fr.locator("#postings")).toContainText(fits.title);
  });

  test("a report reaches an administrator, who hides the posting with a reason", async ({ browser }) => {
    const needs = await (await en.request.get("/api/v1/needs?status=open&limit=5")).json();
    const target = needs.items[0];
    await en.goto(`/needs/${target.id}`);
    await en.locator("details.report summary").click();
    await en.getByLabel("What is wrong?").fill("This asks for payment before anything is given.");
    await en.getByRole("button", { name: "Send the report" }).click();
    await expect(en.locator(".flash")).toContainText("An administrator will look at your report");

    const context = await browser.newContext({ locale: "en-CA", viewport: { width: 390, height: 844 } });
    const admin = await context.newPage();
    await admin.goto("/signin");
    await admin.getByRole("textbox", { name: "Email", exact: true }).fill(ADMIN_EMAIL);
    await admin.getByRole("textbox", { name: "Password", exact: true }).fill(ADMIN_PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.goto("/admin");
    const report = admin.locator("li.card", { hasText: "asks for payment before anything is given" });
    await expect(report).toContainText(target.title);
    const [scroll, inner] = await admin.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll, `the moderation page is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
    await checkAccessibility(admin, "moderation (en)");
    await shoot(admin, "en-moderation");
    await report.getByRole("link", { name: /Hide/ }).click();
    const dialog = admin.locator("dialog.confirm");
    await expect(dialog).toBeVisible();
    await checkAccessibility(admin, "hide dialog (en)");
    await dialog.getByLabel("Misleading or false").check();
    await dialog.getByLabel("In your own words (optional)").fill("Passerelle never asks for payment.");
    await dialog.getByRole("button", { name: "Hide" }).click();
    await expect(admin.locator(".flash")).toContainText("The posting is hidden");
    await expect(admin.locator("li.card", { hasText: "asks for payment before anything is given" })).toHaveCount(0);
    await context.close();

    // Gone for the reporter, who is told the report was acted on.
    const gone = await en.goto(`/needs/${target.id}`);
    expect(gone.status()).toBe(404);
    await en.goto("/notifications");
    await expect(en.locator("ul.notifications")).toContainText(`An administrator acted on your report about “${target.title}”`);
  });

  test("the English pages pass the same checks", async () => {
    await en.goto("/");
    for (const [url, name] of [["/signin", "signin"], ["/search?kind=need", "needs"]]) {
      await en.goto(url);
      await checkAccessibility(en, `${name} (en)`);
    }
    await fr.goto("/signin");
    await checkAccessibility(fr, "signin (fr)");
  });
});

test("the service's own pages (about, help, privacy, terms) pass axe-core in both languages", async ({ browser }) => {
  for (const locale of ["fr-CA", "en-CA"]) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    for (const path of ["/about", "/help", "/privacy", "/terms"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await checkAccessibility(page, `${path} (${locale})`);
    }
    await context.close();
  }
});

test("the programs and each program's page pass axe-core and fit a phone, in both languages", async ({ browser }) => {
  for (const locale of ["fr-CA", "en-CA"]) {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/programs");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await checkAccessibility(page, `/programs (${locale})`);
    const links = await page.locator("main a[href^='/programs/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links.length, "the demo programs are listed").toBeGreaterThanOrEqual(2);
    for (const path of links) {
      await page.goto(path);
      await expect(page.getByRole("table").first()).toBeVisible();
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scroll, `${path} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
      await checkAccessibility(page, `${path} (${locale})`);
    }
    await context.close();
  }
});

test("a foundation creates a program with a bank and a college as partners and three components", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-CA" });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.locator("#email").fill("grants@larchwood.example");
  await page.locator("#password").fill("demo-passerelle-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/my/);
  await page.goto("/programs");
  await page.getByRole("link", { name: "Create a program" }).click();
  await checkAccessibility(page, "program form (en)");
  // A half-filled form is refused with every message beside its field, and keeps what was typed.
  await page.getByRole("textbox", { name: "Name of the program" }).fill("Tech");
  await page.locator('[name="components[0].title"]').fill("Refurbished laptops");
  await page.locator('[name="components[0].capacity"]').fill("lots");
  await page.getByRole("button", { name: "Create the program" }).click();
  await expect(page.locator("#title-error")).toContainText("at least 5 characters");
  await expect(page.locator('[id="components[0].capacity-error"]')).toContainText("whole number");
  await expect(page.locator('[id="components[0].partner_org_id-error"]')).toContainText("not a partner");
  await expect(page.locator('[name="components[0].title"]')).toHaveValue("Refurbished laptops");

  const choose = async (name, text) => {
    const value = await page.locator(`[name="${name}"] option`, { hasText: text }).first().getAttribute("value");
    await page.locator(`[name="${name}"]`).selectOption(value);
  };
  await page.getByRole("textbox", { name: "Name of the program" }).fill("Rural Digital Readiness");
  await page.getByRole("textbox", { name: "Description", exact: true }).fill("Laptops, training and a small grant for rural Ontario nonprofits.");
  await page.getByRole("group", { name: "Who may apply" }).getByRole("checkbox", { name: "Ontario" }).check();
  await choose("partners[0].organization_id", "Cormorant Bank");
  await page.locator('[name="partners[0].role"]').selectOption("equipment");
  await choose("partners[1].organization_id", "Eastbay Polytechnic");
  await page.locator('[name="partners[1].role"]').selectOption("training");
  const component = async (row, title, partner, category, capacity, extra = {}) => {
    await page.locator(`[name="components[${row}].title"]`).fill(title);
    await choose(`components[${row}].partner_org_id`, partner);
    await page.locator(`[name="components[${row}].category"]`).selectOption(category);
    await page.locator(`[name="components[${row}].capacity"]`).fill(capacity);
    for (const [field, value] of Object.entries(extra)) {
      await page.locator(`[name="components[${row}].${field}"]`).fill(value);
    }
  };
  await component(0, "Refurbished laptops", "Cormorant Bank", "hardware", "20", { per_org_max: "3" });
  await component(1, "Staff digital skills training", "Eastbay Polytechnic", "digital_skills_training", "30");
  await page.locator('[name="components[1].unit"]').selectOption("seats");
  await component(2, "Technology grant", "Larchwood", "tech_funding", "5", { value_cad: "2,000" });
  await page.locator('[name="priority_groups[0].name"]').fill("Small organizations");
  await page.locator('[name="priority_groups[0].who"]').selectOption("size:small");
  await page.getByRole("textbox", { name: "Questions every application answers" }).fill("What would the support change for the people you serve?");
  await page.locator('[name="milestones[0].title"]').fill("Information session");
  await page.locator('[name="milestones[0].on"]').fill("2027-01-15");
  await page.getByRole("button", { name: "Create the program" }).click();
  await expect(page.getByRole("status")).toContainText("The program is created");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rural Digital Readiness");
  const components = page.getByRole("table").first();
  for (const text of ["Refurbished laptops", "at most 3 per organization", "30 seats", "$2,000 each", "Eastbay Polytechnic"]) {
    await expect(components).toContainText(text);
  }
  await expect(page.getByRole("link", { name: "Cormorant Bank" })).toBeVisible();
  await checkAccessibility(page, "the new program's page (en)");
  await shoot(page, "en-program-created");
  // The lead adds a milestone later.
  await page.getByRole("link", { name: "Change the program" }).click();
  await checkAccessibility(page, "program edit form (en)");
  await page.locator('[name="milestones[1].title"]').fill("Laptops delivered");
  await page.locator('[name="milestones[1].on"]').fill("2027-02-20");
  await page.getByRole("button", { name: "Save the changes" }).click();
  await expect(page.getByRole("status")).toContainText("The program is saved");
  await expect(page.getByRole("listitem").filter({ hasText: "Laptops delivered" })).toContainText("February 20, 2027");
  await context.close();
});

test("a nonprofit applies to a program and its team allocates, pins and confirms, in French on a phone", async ({ browser }) => {
  const phone = { locale: "fr-CA", viewport: { width: 390, height: 844 } };
  const signIn = (page, email) => signInDemo(page, email, "Se connecter");

  // The nonprofit finds the open call and applies; a word where a number goes is refused beside it.
  const applicantContext = await browser.newContext(phone);
  const applicant = await applicantContext.newPage();
  // (Sophie Tremblay's password is reset by the email tests.)
  await signIn(applicant, "mgagnon@cap-horizon.example");
  await applicant.goto("/programs");
  await applicant.getByRole("link", { name: "Virage numérique des organismes communautaires" }).click();
  const programUrl = applicant.url();
  await applicant.getByRole("link", { name: "Déposer une candidature" }).click();
  await checkAccessibility(applicant, "program application form (fr)");
  await fits(applicant, "the application form");
  const units = applicant.getByRole("textbox", { name: "Unités" });
  await units.first().fill("beaucoup");
  await applicant.getByRole("button", { name: "Envoyer la candidature" }).click();
  await expect(applicant.locator("p.error").first()).toContainText("nombre entier");
  await expect(units.first()).toHaveAttribute("aria-invalid", "true");
  await units.first().fill("1");
  await units.nth(1).fill("2");
  const answers = applicant.locator("textarea");
  for (let i = 0; i < (await answers.count()); i++) {
    await answers.nth(i).fill("Nos bénévoles tiendraient les dossiers des familles en sécurité.");
  }
  await shoot(applicant, "fr-program-apply");
  await applicant.getByRole("button", { name: "Envoyer la candidature" }).click();
  await expect(applicant).toHaveURL(programUrl);
  await expect(applicant.getByRole("status")).toContainText("Votre candidature est envoyée");
  await expect(applicant.getByRole("heading", { name: /Candidature de .*Envoyée/ })).toBeVisible();

  // The lead's team runs the allocation, reads why, pins one request, runs again and confirms.
  const teamContext = await browser.newContext(phone);
  const team = await teamContext.newPage();
  await signIn(team, "chantal.lavoie@fondation-deuxrives.example");
  await team.goto(programUrl);
  await team.getByRole("link", { name: /Espace de l’équipe/ }).click();
  await expect(team.getByRole("heading", { name: "Organismes à inviter" })).toBeVisible();
  await team.getByRole("button", { name: "Calculer l’attribution" }).click();
  await expect(team.getByRole("status")).toContainText("L’attribution est calculée");
  const table = team.getByRole("table").first();
  await expect(table).toContainText(/sur \d+ demandés \(adéquation/);
  await checkAccessibility(team, "program workspace (fr)");
  await fits(team, "the workspace");
  await shoot(team, "fr-program-workspace");
  const mine = table.getByRole("row").filter({ hasText: "Cap-Horizon" }).first();
  await mine.getByRole("combobox").selectOption("pin");
  await mine.getByRole("textbox").fill("1");
  await team.getByRole("button", { name: "Calculer l’attribution" }).click();
  await expect(team.getByRole("status")).toContainText("L’attribution est calculée");
  await expect(table.getByRole("row").filter({ hasText: "Cap-Horizon" }).first()).toContainText("1 sur 1 demandés");
  await team.getByRole("button", { name: "Confirmer cette attribution" }).click();
  await expect(team.getByRole("status")).toContainText("L’attribution est confirmée");
  await expect(team.getByText(/Confirmée le/)).toBeVisible();

  // The nonprofit reads its decision and finds the proposal the partner made it.
  await applicant.goto(programUrl);
  await expect(applicant.getByRole("heading", { name: /Candidature de .*Retenue/ })).toBeVisible();
  await expect(applicant.getByRole("link", { name: "Déposer une candidature" })).toHaveCount(0);
  await applicantContext.close();
  await teamContext.close();
});

test("a funder reads the gap map on a phone in both languages, filters it and downloads the CSV", async ({ browser }) => {
  for (const [locale, heading, unmet, small, download] of [
    ["fr-CA", "Où l’aide manque", "Sans réponse après 60 jours", "Petit (moins de 10 employés)", "Télécharger le tableau (CSV)"],
    ["en-CA", "Where help is needed", "Unmet after 60 days", "Small (fewer than 10 staff)", "Download the table (CSV)"],
  ]) {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: heading }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    // The map says in words what its shades show; the table has every figure.
    const map = page.getByRole("img");
    await expect(map).toHaveAccessibleDescription(/60/);
    const table = page.getByRole("table");
    await expect(table.getByRole("columnheader", { name: unmet })).toBeVisible();
    const rows = await table.getByRole("row").count();
    expect(rows, "the demo has open needs").toBeGreaterThan(5);
    await checkAccessibility(page, `gap map (${locale})`);
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll).toBeLessThanOrEqual(inner);
    await page.getByRole("combobox").nth(1).selectOption({ label: small });
    await page.getByRole("button", { name: locale === "fr-CA" ? "Afficher" : "Show" }).click();
    await expect(page).toHaveURL(/size=small/);
    const link = page.getByRole("link", { name: download });
    const href = await link.getAttribute("href");
    expect(href).toContain("size=small");
    const csv = await page.request.get(href);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect((await csv.text()).split("\n")[0]).toContain("province,category,open_needs,unmet_60_days");
    await context.close();
  }
});

test("a nonprofit takes the digital check-up in French on a phone, publishes two suggested needs and sees the change", async ({ browser }) => {
  const context = await browser.newContext({ locale: "fr-CA", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInDemo(page, "direction@lesrameaux.example", "Se connecter");
  await page.getByRole("link", { name: "Faire le bilan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bilan numérique");
  const questions = page.locator("fieldset.question");
  const count = await questions.count();
  expect(count).toBeGreaterThanOrEqual(18);
  await checkAccessibility(page, "check-up form (fr)");
  await fits(page, "the check-up form");
  // Answer all but two: each missing answer is named beside its question, the rest are kept.
  const answer = async (i, level) => questions.nth(i).getByRole("radio").nth(level - 1).check();
  const mfa = questions.filter({ hasText: "authentification multifacteur" });
  const backups = questions.filter({ hasText: "rançongiciel" });
  for (let i = 0; i < count; i++) {
    const text = await questions.nth(i).locator("legend").innerText();
    if (text.includes("multifacteur") || text.includes("rançongiciel")) continue;
    await answer(i, 4);
  }
  // A phone that loses the page loses nothing: the answers are kept in the browser until sent.
  await page.reload();
  await expect(questions.last().getByRole("radio").nth(3)).toBeChecked();
  await expect(mfa.getByRole("radio").nth(0)).not.toBeChecked();
  await page.getByRole("button", { name: "Voir mes résultats" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(mfa.locator(".error")).toHaveText("est obligatoire");
  await expect(backups.locator(".error")).toHaveText("est obligatoire");
  await expect(questions.first().getByRole("radio").nth(3)).toBeChecked();
  // No multi-factor authentication, no backups.
  await mfa.getByRole("radio").nth(0).check();
  await backups.getByRole("radio").nth(1).check();
  await page.getByRole("button", { name: "Voir mes résultats" }).click();
  await expect(page.getByRole("status")).toContainText("Votre bilan est enregistré");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Votre bilan numérique");
  // The profile: a chart that says its values in words, and its table.
  const chart = page.getByRole("img", { name: /Profil du bilan numérique/ });
  await expect(chart).toHaveAccessibleDescription(/Sécurité et confidentialité 33/);
  const table = page.getByRole("table");
  await expect(table.getByRole("row", { name: /Sécurité et confidentialité/ })).toContainText("33");
  await expect(table.getByRole("row", { name: /Outils et équipement/ })).toContainText("75");
  await checkAccessibility(page, "check-up result (fr)");
  await fits(page, "the check-up result");
  await shoot(page, "fr-checkup-result-phone");
  // Three suggested needs; publish two of them.
  const suggestions = page.getByRole("group", { name: "Besoins à publier" });
  await expect(suggestions.getByRole("checkbox")).toHaveCount(3);
  await suggestions.getByRole("checkbox", { name: /authentification multifacteur/ }).check();
  await suggestions.getByRole("checkbox", { name: /sauvegardes automatiques/ }).check();
  await page.getByRole("button", { name: "Publier les besoins cochés" }).click();
  await expect(page.getByRole("status")).toContainText("Vos besoins sont publiés");
  const needs = page.locator("#postings");
  await expect(needs.getByRole("link", { name: "Activer l'authentification multifacteur sur tous nos comptes", exact: true })).toBeVisible();
  await expect(needs.getByRole("link", { name: "Des sauvegardes automatiques de nos fichiers", exact: true })).toBeVisible();
  // The published need is public, in the taxonomy's category.
  await needs.getByRole("link", { name: "Des sauvegardes automatiques de nos fichiers", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Des sauvegardes automatiques de nos fichiers");
  await expect(page.locator("main")).toContainText("Cybersécurité");

  // Months later, with MFA on everywhere: the form starts from the last answers, the result shows the change.
  await page.goto("/my");
  await page.getByRole("link", { name: "Faire le bilan" }).click();
  await expect(mfa.getByRole("radio").nth(0)).toBeChecked();
  await mfa.getByRole("radio").nth(3).check();
  await page.getByRole("button", { name: "Voir mes résultats" }).click();
  await expect(page.getByRole("table").getByRole("columnheader", { name: "Écart" })).toBeVisible();
  await expect(page.getByRole("table").getByRole("row", { name: /Sécurité et confidentialité/ })).toContainText("+25");
  await expect(chart).toHaveAccessibleDescription(/Sécurité et confidentialité 58 \(auparavant 33\)/);
  // Backups are still weak, and their need is already published: it is listed, not offered again.
  await expect(page.getByRole("link", { name: "Des sauvegardes automatiques de nos fichiers", exact: true })).toBeVisible();
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("list").filter({ hasText: "celui-ci" }).getByRole("listitem")).toHaveCount(2);
  await shoot(page, "fr-checkup-change-phone");
  await context.close();
});

test("a nonprofit prints its results for a funder: partnerships, what they changed, the check-up then and now", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-CA", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInDemo(page, "priya.raman@danforthhub.example", "Sign in");
  await page.getByRole("link", { name: "Results (printable)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results of Danforth Newcomer Hub");
  // Every chart says in words what it draws; its table is beside it.
  const timeline = page.getByRole("img", { name: "Partnerships started and completed per quarter" });
  await expect(timeline).toHaveAccessibleDescription(/1 completed/);
  const checkup = page.getByRole("img", { name: /Digital check-up profile/ });
  await expect(checkup).toHaveAccessibleDescription(/Staff skills and culture 58 \(was 25\)/);
  const indicators = page.getByRole("table", { name: "Indicators of the outcome reports, from the baseline to the follow-ups" });
  // Baseline, target, value at completion and the 3-month follow-up, side by side.
  const row = indicators.getByRole("row", { name: /Hours spent on paperwork per month/ });
  const cells = row.getByRole("cell");
  for (const [at, text] of [[0, "32"], [1, "8"], [2, "6"], [3, "5"], [4, ""]]) {
    await expect(cells.nth(at)).toHaveText(text);
  }
  await expect(cells.nth(5)).toContainText("Cormorant Bank");
  await expect(page.getByRole("table", { name: /Partnerships by side/ }).getByRole("row", { name: /Received/ })).toContainText("$18,000");
  await checkAccessibility(page, "results (en)");
  // Printed, the page is the report alone.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByText("This page prints as a report")).toBeHidden();
  await expect(indicators).toBeVisible();
  await shoot(page, "en-results-print");
  await context.close();
});

test("a funder reads the sector in numbers on a phone in French", async ({ browser }) => {
  const context = await browser.newContext({ locale: "fr-CA", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/insights/gaps");
  await page.getByRole("link", { name: "Passerelle en chiffres" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Passerelle en chiffres");
  // The demo's four completed partnerships (and any an earlier test of this run completed).
  const figures = page.locator("dl.figures");
  await expect(figures).toContainText("Partenariats terminés (12 mois)");
  const completed = Number(await figures.locator("dd").first().innerText());
  expect(completed).toBeGreaterThanOrEqual(4);
  const chart = page.getByRole("img", { name: "Partenariats terminés par trimestre" });
  await expect(chart).toHaveAccessibleDescription(/2026-Q4 \d/);
  await expect(page.getByRole("table", { name: /selon la province/ }).getByRole("row", { name: /Terre-Neuve-et-Labrador/ })).toContainText("1");
  await checkAccessibility(page, "sector (fr)");
  await fits(page, "the sector page");
  await shoot(page, "fr-sector-phone");
  await context.close();
});

test("a francophone nonprofit is reminded of its 3-month follow-up and reports it on a phone", async ({ browser }) => {
  const context = await browser.newContext({ locale: "fr-CA", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInDemo(page, "genevieve@lephare-sudbury.example", "Se connecter");
  // The reminder is in the bell; it leads to the partnership, whose report awaits the follow-up.
  await page.goto("/notifications");
  await page.getByRole("button", { name: /Le suivi à 3 mois est dû/ }).first().click();
  await expect(page.getByRole("heading", { name: "Suivis" })).toBeVisible();
  await page.getByRole("link", { name: "Le remplir" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Suivi après 3 mois");
  await checkAccessibility(page, "follow-up form (fr)");
  await fits(page, "the follow-up form");
  // What was measured before is beside each field; a word where a share goes is refused beside it.
  const trained = page.getByLabel(/Membres du personnel et bénévoles formés/);
  await expect(page.getByText("point de départ 0 · cible 2 · à la fin 2")).toBeVisible();
  await trained.fill("deux");
  await page.getByLabel(/Ateliers en ligne par mois/).fill("5");
  await page.getByRole("button", { name: "Enregistrer le suivi" }).click();
  await expect(page.locator('[id="values[1]-error"]')).toContainText("doit être un nombre");
  await expect(page.getByLabel(/Ateliers en ligne par mois/)).toHaveValue("5");
  await trained.fill("3");
  await page.getByLabel("Ce qui a changé depuis (facultatif)").fill("Une troisième intervenante a suivi la formation.");
  await page.getByRole("button", { name: "Enregistrer le suivi" }).click();
  await expect(page.locator(".flash")).toContainText("Suivi enregistré");
  // The partnership's report now shows the follow-up beside the baseline, target and completion.
  const table = page.getByRole("table", { name: "Avant et après" });
  const row = table.getByRole("row", { name: /Membres du personnel et bénévoles formés/ });
  await expect(row.getByRole("cell").nth(3)).toHaveText("3");
  await expect(page.getByText(/Après 3 mois · transmis le/)).toBeVisible();
  await expect(page.getByText("« Une troisième intervenante a suivi la formation. »")).toBeVisible();
  await checkAccessibility(page, "partnership with its follow-up (fr)");
  await shoot(page, "fr-follow-up-phone");
  await context.close();
});

test("a program's funder prints the cohort's results: applications, allocation, indicators over time", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-CA", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInDemo(page, "grants@larchwood.example", "Sign in");
  await page.goto("/programs");
  await page.getByRole("link", { name: "Ontario Community Tech Boost" }).click();
  await page.getByRole("link", { name: "Results (printable)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results: Ontario Community Tech Boost");
  // Each chart says in words what it draws.
  await expect(page.getByRole("img", { name: "Applications" })).toHaveAccessibleDescription(/Selected: 5/);
  const allocation = page.getByRole("img", { name: "What each component gave against its capacity" });
  await expect(allocation).toHaveAccessibleDescription(/Refurbished laptops: \d+ items? given of 10 items/);
  // The indicators the program requires come first, from the baseline to the 3-month follow-up.
  await expect(page.getByText("The program asks its cohort to report: Working computers and tablets in use, Staff and volunteers trained.")).toBeVisible();
  const devices = page.getByRole("img", { name: "Working computers and tablets in use (devices)" });
  await expect(devices).toHaveAccessibleDescription(/Before \(baseline\): \d+; Target: \d+; At completion: \d+; After 3 months \(\d reporting\): \d+, against \d+ at completion for the same partnerships/);
  const table = page.getByRole("table", { name: /The cohort’s indicators/ });
  await expect(table.getByRole("row", { name: /Staff and volunteers trained/ })).toContainText(/of \d/);
  await checkAccessibility(page, "program results (en)");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(table).toBeVisible();
  await shoot(page, "en-program-results-print");
  // Someone outside the team does not see it.
  const other = await browser.newContext({ locale: "en-CA" });
  const outsider = await other.newPage();
  await signInDemo(outsider, "priya.raman@danforthhub.example", "Sign in");
  const response = await outsider.goto(page.url());
  expect(response.status()).toBe(403);
  await other.close();
  await context.close();
});
