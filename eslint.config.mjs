import raycastConfig from "@raycast/eslint-config";
import { defineConfig } from "eslint/config";

export default defineConfig([
  { ignores: ["node_modules/", "dist/", "lib/", "assets/planner-process.cjs", "raycast-env.d.ts"] },
  ...raycastConfig,
]);
