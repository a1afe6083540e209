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
export { sourceNote, type ArgumentSource } from "./executor/argument-sources";
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
export { normalizeStep, type Normalization, type NormalizeContext } from "./plan/normalize";
export { planGrammar, type GrammarOptions } from "./plan/grammar";
export { requestSpans, type SpanOptions } from "./request/spans";
export { buildPrompt, formatToday, type PlannerPrompt, type PromptOptions } from "./prompt/build-prompt";
export { BUILT_IN_EXAMPLES, type PlanExample } from "./prompt/examples";
export { renderPrompt, type PromptTemplate } from "./prompt/template";
export { plannerPrompt, type PlannerPromptInput, type PromptStyle } from "./prompt/planner-prompt";
export { buildMicroPrompt } from "./prompt/micro-prompt";
export {
  PlannerError,
  type Planner,
  type PlanRequest,
  type PlanningRun,
  type PlanningStats,
} from "./planner/planner";
export { LlamaPlanner, type LlamaPlannerOptions } from "./planner/llama-planner";
export { ServerPlanner, type ServerPlannerOptions } from "./planner/server-planner";
export { loadLlama, type EngineOptions } from "./engines/node-llama-cpp";
export { probeModelFile } from "./engines/probe-model";
export {
  engineRuntimeDir,
  installedEngines,
  provisionEngines,
  type EngineSetupProgress,
  type ProvisionedEngines,
  type ProvisionEnginesOptions,
} from "./engines/provision-engines";
export { EngineSetupError, type EngineSetupErrorCode } from "./engines/engine-setup-error";
export { enginesFolder } from "./engines/engines-folder";
export { ModelFileError, readGgufHeader } from "./model/gguf-header";
export { CATALOG, DEFAULT_MODEL_ID, MICRO_MODEL, type ModelProfile } from "./model/catalog";
export {
  defaultModelId,
  ModelMissingError,
  listModels,
  resolveModel,
  verifyModel,
} from "./model/model-store";
export { downloadModel, ModelDownloadError } from "./model/download";
export {
  allToolsSelector,
  ask,
  NO_TOOLS_MESSAGE,
  plan,
  type AskOutcome,
  type PlanOptions,
  type PlanOutcome,
  type ToolSelector,
} from "./agent";
