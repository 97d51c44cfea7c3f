// Builds the merchant admin page (src/admin-ui, React Polaris) into dist/admin: ES modules split
// per page (each page a chunk loaded when first opened), one stylesheet (Polaris and the page's
// own styles), every asset under a content-hashed name with Brotli and gzip copies beside it for
// the server to pick by Accept-Encoding, and the HTML shell naming them, which the server fills
// with the API key. Run by `npm run build`, and by the admin's browser tests so the page they load
// is the current source.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PUBLIC_PATH = "/admin/assets";

/** Writes through a temporary name: a server reading the file (another test's build) never sees half of it. */
function writeWhole(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** The compressed copies the server sends instead of the file itself, when the browser accepts them. */
const COMPRESSED = {
  br: (data) => brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  gz: (data) => gzipSync(data, { level: 9 }),
};

async function buildAdmin() {
  const src = join(root, "src/admin-ui");
  const out = join(root, "dist/admin");
  const assets = join(out, "assets");
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: [join(src, "main.tsx"), join(src, "admin.css")],
    outdir: assets,
    entryNames: "[name]-[hash]",
    chunkNames: "[name]-[hash]",
    publicPath: PUBLIC_PATH,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    target: "es2020",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    metafile: true,
    write: false,
    logLevel: "warning",
  });

  // A hashed name is its content: a file already there is this one, written by an earlier build.
  const names = new Set();
  for (const file of result.outputFiles) {
    const name = relative(assets, file.path);
    names.add(name);
    if (!existsSync(file.path)) writeWhole(file.path, file.contents);
    for (const [ext, compress] of Object.entries(COMPRESSED)) {
      names.add(`${name}.${ext}`);
      if (!existsSync(`${file.path}.${ext}`)) writeWhole(`${file.path}.${ext}`, compress(Buffer.from(file.contents)));
    }
  }
  // Earlier builds' assets go; the page no longer names them.
  for (const name of readdirSync(assets)) if (!names.has(name) && !name.endsWith(".tmp")) rmSync(join(assets, name), { force: true });

  const outputs = Object.entries(result.metafile.outputs);
  const entry = (source) => outputs.find(([, o]) => o.entryPoint === relative(root, join(src, source)))?.[0];
  const url = (output) => `${PUBLIC_PATH}/${basename(output)}`;
  const script = entry("main.tsx");
  // The chunks the entry imports itself are fetched at once, not after the entry is parsed.
  const preloads = result.metafile.outputs[script].imports.filter((i) => i.kind === "import-statement").map((i) => i.path);
  const tags = [
    `<link rel="stylesheet" href="${url(entry("admin.css"))}" />`,
    ...preloads.map((p) => `<link rel="modulepreload" href="${url(p)}" />`),
    `<script type="module" src="${url(script)}"></script>`,
  ];
  const html = readFileSync(join(src, "index.html"), "utf8").replace("<!--ASSETS-->", tags.join("\n    "));
  writeWhole(join(out, "index.html"), html);
}

await buildAdmin();
