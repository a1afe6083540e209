export { default } from "./commands/speak-to-tinyagent";
