// Reads a JSON array of GBNF grammar texts on stdin and prints, as the last line of stdout, a JSON array
// saying which of them llama.cpp's own grammar parser (through node-llama-cpp, no model needed) accepts.
// Run in a child process by llama-parser.test.ts: llama.cpp writes parse errors straight to stderr, and a
// native failure must not take the test runner down. Exits with 3 when no llama.cpp binary can be loaded.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

let llama;
try {
  llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.disabled,
    progressLogs: false,
  });
} catch (error) {
  console.error(`no usable llama.cpp binary: ${error}`);
  process.exit(3);
}

const results = [];
for (const grammar of JSON.parse(input)) {
  try {
    await llama.createGrammar({ grammar });
    results.push(true);
  } catch {
    results.push(false);
  }
}
console.log(JSON.stringify(results));
await llama.dispose();
