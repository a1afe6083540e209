const { defineConfig } = require("eslint/config");
const raycastConfig = require("@raycast/eslint-config");

module.exports = defineConfig([
  { ignores: ["node_modules/", "dist/", "lib/", "raycast-env.d.ts"] },
  ...raycastConfig,
]);
