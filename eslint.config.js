// Flat config: the recommended JS and TypeScript rules, nothing exotic.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "reports/**", ".vagrant/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", Buffer: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // The room dashboard runs in the browser.
    files: ["ui/**/*.js"],
    languageOptions: {
      globals: { window: "readonly", document: "readonly", location: "readonly", sessionStorage: "readonly", fetch: "readonly", Node: "readonly", Blob: "readonly", TextDecoderStream: "readonly", URLSearchParams: "readonly" },
    },
  },
);
