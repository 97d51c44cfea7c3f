// Builds the merchant admin page (src/admin-ui, React Polaris) into dist/admin: the bundle, the
// Polaris stylesheet, the page's own styles and the HTML shell the server fills with the API key.
// Run by `npm run build`, and by the admin's browser test so the page it loads is the current source.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

async function buildAdmin() {
  const src = join(root, "src/admin-ui");
  const out = join(root, "dist/admin");
  mkdirSync(join(out, "assets"), { recursive: true });
  await build({
    entryPoints: [join(src, "main.tsx")],
    outfile: join(out, "assets/app.js"),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  copyFileSync(require.resolve("@shopify/polaris/build/esm/styles.css"), join(out, "assets/polaris.css"));
  copyFileSync(join(src, "admin.css"), join(out, "assets/app.css"));
  writeFileSync(join(out, "index.html"), readFileSync(join(src, "index.html"), "utf8"));
}

await buildAdmin();
