export { default } from "./commands/history";
