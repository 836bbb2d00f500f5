import next from "eslint-config-next/core-web-vitals";
import ts from "eslint-config-next/typescript";

const config = [
  ...next,
  ...ts,
  { ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts"] },
  {
    // Modules in node_modules are not parsed for the import rules (PGlite's bundle overflows the parser's stack).
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      // Boundaries the compiler keeps: no module imports one that (directly or not) imports it back. A lazy
      // `await import()` (db/client.ts → db/distribute.ts) cannot see a half-initialised module, so it may close a loop.
      "import/no-cycle": ["error", { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
];
export default config;
