import js from "@eslint/js";
import nodePlugin from "eslint-plugin-n";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "dist/", "coverage/", "migrations/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    plugins: { n: nodePlugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // Only src/server/config.ts reads the environment; everything else receives a Config.
      "n/no-process-env": "error",
    },
  },
  {
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "**/web/**", "node:*", "drizzle-orm*", "fastify*"],
              message: "src/shared is isomorphic.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/server/**/*.ts"],
    ignores: ["src/server/lib/exceljs.ts"],
    rules: {
      // exceljs must load after its XML parser is replaced (lib/exceljs.ts says why).
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "exceljs", message: "Load exceljs with loadExcelJs() from lib/exceljs.ts." }] },
      ],
    },
  },
  {
    files: ["bench/**/*.ts"],
    rules: { "n/no-process-env": "off" },
  },
  {
    files: ["src/web/**/*.ts", "src/web/**/*.tsx"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The web app never reaches into the server; both share src/shared.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/server/**"], message: "The web app talks to the server over HTTP only." }] },
      ],
    },
  },
);
