import fs from "node:fs";
import path from "node:path";

/**
 * The layers of src/, lowest first. A module imports from its own layer or lower ones, never
 * higher: store holds storage and imports nothing above it, handlers never see HTTP, nothing
 * imports http. `src/context.ts` (the AppContext every layer is handed) stands apart: any module
 * may import its types, and it imports nothing but types. The admin UI (a browser bundle) is
 * checked apart: it imports nothing of the server but the types of its answers.
 *
 * `readme` is the layer's line in the README's list, which is generated from this table
 * (`npx tsx test/architecture/write-readme-layers.ts`) and checked against it by the layer test.
 */
export const LAYERS: { name: string; paths: string[]; readme: string }[] = [
  {
    name: "leaves",
    paths: [
      "src/config/",
      "src/errors.ts",
      "src/clock.ts",
      "src/log.ts",
      "src/waker.ts",
      "src/metrics.ts",
      "src/money.ts",
      "src/csv.ts",
      "src/shop-domain.ts",
      "src/generated/",
      "scripts/require-node.cjs",
    ],
    readme:
      "what imports nothing of the app: configuration, errors, the clock, the logger, metrics (prom-client), money without floats, CSV a spreadsheet cannot run, the shop-domain rule, the generated Prisma clients, the Node version guard",
  },
  { name: "messages", paths: ["src/messages/"], readme: "JoinChat's vocabulary (schemas, builders, the wire format, limits)" },
  {
    name: "policy",
    paths: ["src/policy/"],
    readme:
      "the catalog of automations (`policy/automations.ts`, free of Node: the names, which are switched as a whole, the settings an automation has of its own, and each one's label, promotional or not, tag rule, bot button, switch, delivery-key format and parser, holdout, its texts with their limits, placeholders and default wording, reasons), `decideSend` (`policy/send-decision.ts`: whether a due message goes, and how; the 24-hour window is decided there alone), reasons as codes with their plain words, promotional wording, the promotion pause, the holdout",
  },
  {
    name: "store",
    paths: ["src/store/"],
    readme:
      "storage per aggregate (Prisma), importing nothing above it; the hand-written statements on the hot paths (claiming events and messages) one module each in `store/sql/`, written once against `store/sql/dialect.ts`, where every SQLite/PostgreSQL difference is chosen (placeholders, `FOR UPDATE SKIP LOCKED`, how an OR of index ranges is read); a shop's settings schema in `store/shop-settings.ts` and the one schema the admin and the CLI validate a change of settings with in `store/settings-change.ts`, both free of Node and the database",
  },
  {
    name: "views",
    paths: ["src/admin-views.ts"],
    readme:
      "the admin API's answers as types, which the server builds them by and the admin page (`admin-ui/`, a browser bundle checked apart: it imports only these types) reads them by",
  },
  { name: "joinchat", paths: ["src/joinchat/"], readme: "the signed client and its error classes" },
  { name: "recipients", paths: ["src/recipients/"], readme: "uuid links and the resolver" },
  { name: "delivery", paths: ["src/delivery/"], readme: "the worker" },
  { name: "shopify", paths: ["src/shopify/"], readme: "the library wrapped once" },
  {
    name: "automations",
    paths: ["src/automations/"],
    readme:
      "one file per automation, each registering its handler against its catalog entry by name with the topics it answers and the admin's preview of it (`on(...)`), `automations/registry.ts`, the one list of those registrations, and `automations/contract.ts`, the handler contract (what a handler gets, what it returns) that the event side imports too",
  },
  { name: "events", paths: ["src/events/"], readme: "ingest, the topic table (built from the handlers' registrations), the processor and the outcome writer" },
  { name: "http", paths: ["src/http/", "src/standin/"], readme: "the HTTP routes, and the JoinChat stand-in" },
  {
    name: "processes",
    paths: ["src/server.ts", "src/main.ts", "src/cli/", "src/demo/", "src/create-context.ts", "src/startup-errors.ts"],
    readme: "what starts and wires the rest",
  },
];
export const CONTEXT = "src/context.ts";
/** The browser bundle: it imports its own modules and, of the server, only types from VIEWS. */
export const ADMIN_UI = "src/admin-ui/";
export const VIEWS = "src/admin-views.ts";

/** The files that hold modules: TypeScript, its JSX, and plain JavaScript in either module system. */
const MODULE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Comments that open a line (doc blocks, `//` notes): an import quoted in one is not an import. */
const stripLineComments = (text: string) => text.replace(/^[ \t]*\/\*[\s\S]*?\*\//gm, "").replace(/^[ \t]*\/\/.*$/gm, "");

/**
 * The relative imports of one module's text, every form that loads or names another module:
 * `import ... from`, `export ... from` (re-exports), side-effect `import "./x"`, `require("./x")`
 * and `import("./x")`. `import type`, `export type`, all-`type` specifier lists and
 * `typeof import("./x")` are type-only. `root` is where the paths are resolved from.
 */
export function importsOf(file: string, text: string, root = "."): Import[] {
  const code = stripLineComments(text);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (spec.startsWith(".")) out.push({ from: file, to: resolve(root, file, spec), typeOnly });
  };
  const fromClause = /^[ \t]*(?:import|export)\s+(type\s+)?((?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+))\s*from\s*(["'])([^"'\n]+)\3/gm;
  for (const m of code.matchAll(fromClause)) {
    const specifiers = /^\{([^}]*)\}$/.exec(m[2]!.trim())?.[1];
    const named = specifiers?.split(",").filter((s) => s.trim());
    const allTypes = named !== undefined && named.length > 0 && named.every((s) => /^\s*type\s/.test(s));
    add(m[4]!, Boolean(m[1]) || allTypes);
  }
  for (const m of code.matchAll(/^[ \t]*import\s*(["'])([^"'\n]+)\1/gm)) add(m[2]!, false);
  for (const m of code.matchAll(/\brequire\s*\(\s*(["'`])([^"'`$\n]+)\1\s*\)/g)) add(m[2]!, false);
  for (const m of code.matchAll(/(\btypeof\s+)?\bimport\s*\(\s*(["'`])([^"'`$\n]+)\2\s*\)/g)) add(m[3]!, Boolean(m[1]));
  return out;
}

/** The file a relative specifier loads, as TypeScript and Node find it (`./x.js` may name `x.ts`). */
function resolve(root: string, file: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  const stem = base.replace(/\.(m|c)?js$/, "");
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`];
  candidates.push(`${base}/index.ts`, `${base}/index.tsx`, `${base}/index.js`);
  for (const candidate of candidates) if (fs.existsSync(path.join(root, candidate)) && fs.statSync(path.join(root, candidate)).isFile()) return candidate;
  return `${base}.ts`;
}

export function layerOf(file: string): number | null {
  let best: { i: number; length: number } | null = null;
  LAYERS.forEach((l, i) => {
    for (const p of l.paths) if ((file === p || file.startsWith(p)) && (!best || p.length > best.length)) best = { i, length: p.length };
  });
  return best ? (best as { i: number }).i : null;
}

/** Every import against the layer order, or out of or into the admin UI bundle, as "from -> to (why)". */
export function violations(imports: Import[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
    if (i.from.startsWith(ADMIN_UI)) {
      if (!i.to.startsWith(ADMIN_UI) && !(i.to === VIEWS && i.typeOnly)) out.push(`${i.from} -> ${i.to} (the admin UI imports of the server only the types of ${VIEWS})`);
      continue;
    }
    if (i.to.startsWith(ADMIN_UI)) {
      out.push(`${i.from} -> ${i.to} (the admin UI is a browser bundle: nothing of the server imports it)`);
      continue;
    }
    if (i.to === CONTEXT) {
      if (!i.typeOnly) out.push(`${i.from} -> ${i.to} (only types may be imported from the context)`);
      continue;
    }
    if (i.from === CONTEXT) {
      if (!i.typeOnly) out.push(`${i.from} -> ${i.to} (the context imports only types)`);
      continue;
    }
    const a = layerOf(i.from);
    const b = layerOf(i.to);
    if (a === null || b === null) out.push(`${i.from} -> ${i.to} (not in a layer: add it to LAYERS)`);
    else if (b > a) out.push(`${i.from} -> ${i.to} (${LAYERS[a]!.name} imports ${LAYERS[b]!.name}, a higher layer)`);
  }
  return out;
}

/** The modules of src/ that belong to no layer (the context and the admin UI stand apart). */
export function unplaced(files: string[]): string[] {
  return files.filter((f) => f !== CONTEXT && !f.startsWith(ADMIN_UI) && layerOf(f) === null);
}

/**
 * Groups of modules that import each other, directly or around a loop, every import counted:
 * a type-only import too (the context's, the admin pages'), since a loop of types still ties
 * the modules into one that cannot be read, moved or tested apart. Tarjan's strongly connected
 * components; a module importing itself is a loop of one.
 */
export function cycles(imports: Import[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const i of imports) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Every module of src/ (the generated Prisma clients aside), as a path from `root`. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== "src/generated") walk(rel);
      } else if (MODULE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  walk("src");
  return out.sort();
}

/** The imports of every module of src/ under `root`. */
export function moduleGraph(root: string): Import[] {
  return sourceFiles(root).flatMap((f) => importsOf(f, fs.readFileSync(path.join(root, f), "utf8"), root));
}

const README_START = "<!-- layers: generated from test/architecture/layers.ts (LAYERS), checked by its test -->";
const README_END = "<!-- /layers -->";

/** The README's numbered list of the layers, as LAYERS gives it (paths from src/). */
export function readmeLayerList(): string {
  const shown = (p: string) => `\`${p.startsWith("src/") ? p.slice(4) : `../${p}`}\``;
  const items = LAYERS.map((l, i) => `${i + 1}. ${l.name} (${l.paths.map(shown).join(", ")}): ${l.readme}${i === LAYERS.length - 1 ? "." : ";"}`);
  return [README_START, "", ...items, "", README_END].join("\n");
}

/** The list as the README holds it now, or null when its markers are missing. */
export function readmeLayerListIn(readme: string): string | null {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  return start < 0 || end < start ? null : readme.slice(start, end + README_END.length);
}

/** The README with its layer list replaced by the one LAYERS gives. */
export function withReadmeLayerList(readme: string): string {
  const current = readmeLayerListIn(readme);
  if (current === null) throw new Error(`the README has no layer list between ${README_START} and ${README_END}`);
  return readme.replace(current, readmeLayerList());
}
