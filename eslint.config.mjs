// ESLint flat config: Next's own rules (React, hooks, core web vitals), typescript-eslint's
// type-checked recommended set, the house rules STYLE.md states, and eslint-config-prettier last
// so that layout belongs to Prettier alone.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import tseslint from "typescript-eslint";

// React rules mean something only where React renders. Elsewhere test fixtures such as `useApp()`
// and a `use` callback parameter read as hooks, and the React Compiler checks cost most of the
// lint time on code that has no components.
const reactRuleNames = nextVitals.flatMap((entry) => Object.keys(entry.rules ?? {})).filter((name) => /^(react|react-hooks|jsx-a11y|@next\/next)\//.test(name));
const withoutReactRules = Object.fromEntries(reactRuleNames.map((name) => [name, "off"]));

// Files whose default export a framework asks for: Next's pages, layouts and API routes, tool configs.
const defaultExportFiles = ["app/**/{page,layout,loading,error,not-found,global-error,template,default}.tsx", "pages/**", "*.config.{ts,mjs}"];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  { files: ["lib/**", "scripts/**", "test/**", "migrations/**", "*.ts"], rules: withoutReactRules },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // React calls an async onClick/onSubmit and ignores what it returns; elsewhere a promise
      // where void is expected is still an error.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Kysely's expression builder is meant to be destructured (`({ not, exists }) => …`), and
      // SendContext-style interfaces declare callbacks as methods: every report here was one of those.
      "@typescript-eslint/unbound-method": "off",
      // An `async` function without `await` implements a Promise-returning interface (the memory
      // Redis store, senders); dropping `async` would turn its throws from rejections into sync throws.
      "@typescript-eslint/require-await": "off",
      // Passing on a rejection that came from elsewhere (a timeout race, a broker's callback) must
      // keep the original reason; wrapping it in a new Error would change what callers catch.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    // Signing out and a lapsed session deliberately reload the whole app at /login, so no page the
    // old session rendered stays in the client router's cache; router.push would keep them.
    files: ["app/_ui/api-client.ts", "app/_ui/logout-button.tsx"],
    rules: { "@next/next/no-location-assign-relative-destination": "off" },
  },
  {
    // Vitest types its asymmetric matchers (expect.any, expect.stringMatching, …) as `any` so they
    // fit in any position of an expected value; every report of this rule in the tests was one of
    // those (a known false positive of type-aware linting). Parsed JSON in tests is typed through
    // call<T>() and the fixtures instead, and no-unsafe-return/-member-access stay on.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    // House style: named exports only, except where a framework wants the default export.
    files: ["**/*.{ts,tsx}"],
    ignores: defaultExportFiles,
    rules: { "import/no-default-export": "error" },
  },
  {
    // House style: lib/env.ts is the only reader of process.env in the shipped code.
    files: ["lib/**", "app/**", "pages/**", "proxy.ts"],
    ignores: ["lib/env.ts"],
    rules: { "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }] },
  },
  {
    // House style: no non-null `!` in lib/; narrow the value instead.
    files: ["lib/**"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  prettier,
  globalIgnores([".next/**", ".data/**", ".test-artifacts/**", ".scratch/**", "bench-results/**", "next-env.d.ts"]),
]);
