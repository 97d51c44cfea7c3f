import fs from "node:fs";
import path from "node:path";

/**
 * The layers of src/, lowest first. A module imports from its own layer or lower ones, never
 * higher: store holds storage and imports nothing above it, handlers never see HTTP, nothing
 * imports http. `src/context.ts` (the AppContext every layer is handed) stands apart: any module
 * may import its types, and it imports nothing but types. The admin UI (a browser bundle) is
 * checked apart: it imports nothing of the server.
 */
export const LAYERS: { name: string; paths: string[] }[] = [
  { name: "leaf", paths: ["src/config/", "src/errors.ts", "src/clock.ts", "src/log.ts", "src/waker.ts", "src/metrics.ts", "src/generated/", "src/automations/money.ts"] },
  { name: "messages", paths: ["src/messages/"] },
  { name: "policy", paths: ["src/policy/"] },
  { name: "store", paths: ["src/store/"] },
  { name: "views", paths: ["src/admin-views.ts"] },
  { name: "joinchat", paths: ["src/joinchat/"] },
  { name: "recipients", paths: ["src/recipients/"] },
  { name: "delivery", paths: ["src/delivery/"] },
  { name: "shopify", paths: ["src/shopify/"] },
  { name: "automations", paths: ["src/automations/"] },
  { name: "events", paths: ["src/events/"] },
  { name: "http", paths: ["src/http/", "src/standin/"] },
  { name: "app", paths: ["src/server.ts", "src/main.ts", "src/cli/", "src/demo/", "src/create-context.ts", "src/startup-errors.ts"] },
];
export const CONTEXT = "src/context.ts";

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The relative imports (and re-exports) of one module's text; `import type` and all-`type` specifier lists are type-only. */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+"(\.{1,2}\/[^"]+)"/gms;
  for (const m of text.matchAll(re)) {
    const specifiers = /^\{([^}]*)\}$/.exec(m[3]!.trim())?.[1];
    const allTypes =
      specifiers !== undefined &&
      specifiers
        .split(",")
        .filter((s) => s.trim())
        .every((s) => /^\s*type\s/.test(s));
    out.push({ from: file, to: resolve(file, m[4]!), typeOnly: Boolean(m[2]) || allTypes });
  }
  for (const m of text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)) out.push({ from: file, to: resolve(file, m[1]!), typeOnly: false });
  return out;
}

function resolve(file: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}.js`, base]) if (fs.existsSync(candidate)) return candidate;
  return `${base}.ts`;
}

export function layerOf(file: string): number | null {
  let best: { i: number; length: number } | null = null;
  LAYERS.forEach((l, i) => {
    for (const p of l.paths) if ((file === p || file.startsWith(p)) && (!best || p.length > best.length)) best = { i, length: p.length };
  });
  return best ? (best as { i: number }).i : null;
}

/** Every import against the layer order, as "from -> to (why)". */
export function violations(imports: Import[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
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

/** Groups of modules that import each other, directly or around a loop (imports of the context's types aside). */
export function cycles(imports: Import[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const i of imports) if (i.to !== CONTEXT && i.from !== CONTEXT) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
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
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every module of src/ (the generated Prisma clients and the browser bundle aside), as a path from the repository root. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== "src/generated" && rel !== "src/admin-ui") walk(rel);
      } else if (/\.ts$/.test(entry.name)) out.push(rel);
    }
  };
  walk("src");
  return out;
}
