// The agent core's public surface. Plain TypeScript: no Raycast, no native engines.
export type { Value, Step, JoinMarker, Plan, Problem, ProblemCode } from "./plan/plan";
export { END_OF_PLAN, isValid } from "./plan/plan";
export { parsePlan, PlanStreamParser, type ParseResult, type PlanItem } from "./plan/parse";
export { validatePlan } from "./plan/validate";
export { checkPlan, type CheckedPlan } from "./plan/check";
export { serializePlan, serializeValue } from "./plan/serialize";
export { referencesIn, substituteReferences, wholeReference } from "./plan/references";
export { criticalPath, dependenciesOf, planGraph, sameDag, type PlanGraph } from "./plan/dag";
export { streamSteps } from "./plan/stream-steps";
export {
  executePlan,
  type Confirmation,
  type ConfirmationRequest,
  type ExecuteOptions,
} from "./executor/executor";
export type {
  ExecutorEvent,
  ResolvedArgs,
  RunResult,
  SkipCause,
  StepError,
  StepOutcome,
  StepStatus,
} from "./executor/events";
export { runPlanText, type PlanRun } from "./run-plan";
