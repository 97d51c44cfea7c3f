// typescript-eslint's recommended rules over the app, its tests and benchmarks (npm test runs it).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", ".ci/node/", "src/generated/", "node_modules/", "data/", "test/artifacts/", "src/admin-ui/**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        fetch: "readonly",
        performance: "readonly",
        AbortSignal: "readonly",
        structuredClone: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
        window: "readonly",
        document: "readonly",
        location: "readonly",
        localStorage: "readonly",
        history: "readonly",
        HTMLTextAreaElement: "readonly",
        HTMLElement: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        queueMicrotask: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // CommonJS of its own: the SQLite writer's worker thread, the storefront script (a browser's), and
    // the Node version check any Node can load (scripts/require-node.cjs).
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["extensions/**/*.js"],
    languageOptions: { globals: { sessionStorage: "readonly" } },
  },
  {
    // Tests read JSON answers and stand-in bodies of any shape.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
);
