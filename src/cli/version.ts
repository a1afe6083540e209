import manifest from "../../package.json";

/** The commit the command line was built from; scripts/build-cli.mjs defines it (absent when run from source). */
declare const __TINYAGENT_COMMIT__: string | undefined;

/**
 * What `tinyagent --version` prints: the build of TinyAgent (the manifest has no version number: Raycast
 * extensions are published by commit), then the engines it pins and the Node running it.
 */
export function versionText(): string {
  const commit = typeof __TINYAGENT_COMMIT__ === "string" ? __TINYAGENT_COMMIT__ : "";
  const build = commit === "" ? "(built from source)" : `(commit ${commit})`;
  const pinned = manifest.dependencies;
  return [
    `tinyagent ${build}`,
    `node-llama-cpp ${pinned["node-llama-cpp"]}, onnxruntime-node ${pinned["onnxruntime-node"]}, ` +
      `Node ${process.versions.node} (${process.platform} ${process.arch})`,
  ].join("\n");
}
