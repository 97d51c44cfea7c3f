import fs from "node:fs";
import path from "node:path";
import { AUTOMATION_NAMES, AUTOMATIONS, OWN_SETTINGS_OWNER, type AutomationName } from "../../src/policy/automations";
import { sourceFiles } from "./layers";

const ROOT = path.resolve(__dirname, "../..");

/**
 * An automation is its handler file (declaring the topics it answers), its catalog entry, its line
 * in the registry (the topic table and the app's subscriptions read the topics there; a new topic
 * also goes into shopify.app.toml, which names topics, not automations) and its admin section.
 * These are the files of src/ that may name it.
 */
const CATALOG = ["src/policy/automations.ts"];
const REGISTRY = "src/automations/registry.ts";
const ADMIN_SECTION = ["src/admin-ui/SettingsPage.tsx", "src/admin-ui/settings-draft.ts"];

/**
 * Where each automation is named besides its own places today, and why. A file that starts
 * naming one fails the test (declare it in its entry or handler file instead, or say here why
 * not); a file that stops naming it must leave the list, so the list only shrinks.
 */
const ELSEWHERE: Record<AutomationName, Record<string, string>> = {
  welcome: {
    "src/automations/signup-reward.ts": "the reward phrases the welcome text carries, a helper of its handler",
    "src/shopify/discounts.ts": "the unique welcome code's format",
  },
  abandoned: {
    "src/delivery/worker.ts": "the holdout, and a recall skipped ends the checkout's later ones",
    "src/store/sql/write-outcome.ts": "an order counts as recovered by a sent recall",
    "src/store/settings-change.ts": "a recall step's coupon for a step the delays do not make",
  },
  receipt: {
    "src/automations/delivery-update.ts": "a delivery update links to the receipt's order page",
  },
  shipping: {
    "src/automations/delivery-update.ts": "a delivery update links to the shipping notice's tracking page",
    "src/automations/template-check.ts": "imports the carrier and tracking phrases to measure the shipping text with",
  },
  delivery: {},
  payment_reminder: {},
};

/** Code without its comments, and without JoinChat's receipt template (a message type, not the automation). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/.*$/gm, "$1")
    .replace(/template_type\s*(?:===|:)\s*(?:z\.literal\()?"receipt"|case "receipt":/g, "");
}

const codeOf = (file: string) => withoutComments(fs.readFileSync(path.join(ROOT, file), "utf8"));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The file of src/automations/ that registers `name`'s handler (`on("name", ...)`). */
function handlerFileOf(name: AutomationName, files: string[]): string {
  const found = files.filter((f) => f.startsWith("src/automations/") && new RegExp(`\\bon\\(\\s*"${name}"`).test(codeOf(f)));
  if (found.length !== 1) throw new Error(`${name}: registered in ${found.length} files`);
  return found[0]!;
}

/**
 * What names an automation in code: its name quoted, a template key of its ("welcome.text"), its
 * delivery keys' prefix (read off the catalog's key format), its catalog entry by property, its
 * name as an object's key, a group of settings of its own, an import of its handler file.
 */
function marksOf(name: AutomationName, handlerFile: string): RegExp[] {
  const keyOf = AUTOMATIONS[name].key as (...parts: string[]) => string;
  const keyPrefix = keyOf("SHOP", "1", "2").split(":")[0]!;
  const groups = Object.entries(OWN_SETTINGS_OWNER).filter(([, a]) => a === name);
  return [
    new RegExp(`["'\`]${name}["'\`.]`),
    new RegExp(`["'\`]${escape(keyPrefix)}:`),
    new RegExp(`\\bAUTOMATIONS\\.${name}\\b`),
    new RegExp(`^\\s*${name}\\??:\\s*[^{\\s]`, "m"),
    ...groups.map(([g]) => new RegExp(`\\b${g}\\b`)),
    new RegExp(`from\\s+["'][./]+(?:automations/)?${escape(path.basename(handlerFile, ".ts"))}["']`),
  ];
}

/** The files of src/ that name `name`, its own places apart. */
function namedElsewhere(name: AutomationName, files: string[], code: (f: string) => string = (f) => fs.readFileSync(path.join(ROOT, f), "utf8")): string[] {
  const handler = handlerFileOf(name, files);
  const own = new Set([handler, ...CATALOG, REGISTRY, ...ADMIN_SECTION]);
  const marks = marksOf(name, handler);
  return files.filter((f) => !own.has(f) && marks.some((m) => m.test(withoutComments(code(f)))));
}

describe("an automation is its handler file, its catalog entry, its registration and its admin section", () => {
  const files = sourceFiles(ROOT).filter((f) => !f.startsWith("src/generated/"));

  it.each(AUTOMATION_NAMES.map((a) => [a]))("%s is named nowhere else but where the list says why", (name) => {
    expect(namedElsewhere(name, files)).toEqual(Object.keys(ELSEWHERE[name]).sort());
  });

  it("finds each one's handler file and marks in every one of its own places", () => {
    for (const name of AUTOMATION_NAMES) {
      const handler = handlerFileOf(name, files);
      const marks = marksOf(name, handler);
      for (const place of [handler, ...CATALOG, REGISTRY]) expect([name, place, marks.some((m) => m.test(codeOf(place)))]).toEqual([name, place, true]);
    }
  });

  it("fails on a module that starts naming an automation, by name, template key, delivery key, settings group or handler import", () => {
    const stray = "src/store/stray.ts";
    const seen = (text: string) => namedElsewhere("payment_reminder", [...files, stray], (f) => (f === stray ? text : fs.readFileSync(path.join(ROOT, f), "utf8")));
    for (const text of [
      'if (row.automation === "payment_reminder") skip();',
      'const t = renderText(shop, "payment_reminder.text", {});',
      "const key = `payment-reminder:${shop}:${id}`;",
      "const on = settings.paymentReminder.enabled;",
      'import { buildPaymentReminder } from "../automations/payment-reminder";',
      "const labels = {\n  payment_reminder: 'Pay',\n};",
    ])
      expect(seen(text)).toContain(stray);
    // Its words in a comment, and JoinChat's receipt template, name no automation.
    expect(seen('// "payment_reminder" is scheduled by orders/create\nconst x = 1;')).not.toContain(stray);
    expect(
      namedElsewhere("receipt", [...files, stray], (f) => (f === stray ? 'if (m.template_type === "receipt") x();' : fs.readFileSync(path.join(ROOT, f), "utf8"))),
    ).not.toContain(stray);
  });
});
