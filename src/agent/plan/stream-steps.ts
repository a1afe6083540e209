import { PlanStreamParser, type ParseResult, type PlanItem } from "./parse";
import type { Step } from "./plan";

/**
 * Turns streamed plan text (a planner's tokens) into steps the executor can start right away. Every
 * parser item, problems included, is reported through `onItem`; the generator returns the whole parse.
 */
export async function* streamSteps(
  chunks: AsyncIterable<string> | Iterable<string>,
  onItem?: (item: PlanItem) => void,
): AsyncGenerator<Step, ParseResult> {
  const parser = new PlanStreamParser();
  for await (const chunk of chunks) {
    for (const item of parser.push(chunk)) {
      onItem?.(item);
      if (item.kind === "step") yield item.step;
    }
  }
  const { items, plan, problems } = parser.finish();
  for (const item of items) {
    onItem?.(item);
    if (item.kind === "step") yield item.step;
  }
  return { plan, problems };
}
