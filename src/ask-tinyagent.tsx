export { default } from "./commands/ask-tinyagent";
