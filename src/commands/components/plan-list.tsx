import { Action, ActionPanel, Color, Icon, Keyboard, List, openExtensionPreferences } from "@raycast/api";
import type { RunSnapshot, StepView } from "../../agent/session/ask-run";
import type { FormValues, ParsedArguments } from "../../agent/session/argument-form";
import { escapeMarkdown } from "../../agent/session/markdown-text";
import { stepDetail } from "../../agent/session/step-detail";
import { defaultRegistry } from "../../tools/registry";
import { EditArgumentsForm } from "./edit-arguments-form";
import { statusLabel, stepIcon } from "./step-appearance";

export interface PlanListProps {
  searchText: string;
  onSearchTextChange: (text: string) => void;
  /** The current request's state; undefined before the first request. */
  snapshot: RunSnapshot | undefined;
  /** Loading the model or the classifier. */
  isLoading: boolean;
  /** While loading, what is loading ("Loading the planner…"), shown before the first request. */
  loadingText?: string;
  onAsk: (request: string) => void;
  onConfirmAll: () => void;
  onSkip: (step: number) => void;
  onEdit: (step: number, values: FormValues) => ParsedArguments;
  onCancel: () => void;
  onChoose: (value: string | undefined) => void;
  /**
   * Set while the bundled micro planner plans (nothing downloaded yet, or chosen): shown as "Fast offline
   * planner", with the download of a better model when there is one to offer.
   */
  fastPlanner?: { downloadTitle?: string; onDownload?: () => void };
}

export const FAST_PLANNER_LABEL = "Fast offline planner";

const CONFIRM: Keyboard.Shortcut = { modifiers: ["cmd"], key: "return" };
const CANCEL: Keyboard.Shortcut = { modifiers: ["cmd"], key: "." };
const SKIP: Keyboard.Shortcut = { modifiers: ["ctrl"], key: "x" };
const COPY_PLAN = Keyboard.Shortcut.Common.Copy;

const ACTIVE = new Set(["planning", "running", "confirming", "choosing"]);

/**
 * The Ask TinyAgent list: the request in the search bar, then the plan's steps with their status. While
 * steps wait for confirmation they are listed first, under "Needs Your Confirmation".
 */
export function PlanList(props: PlanListProps) {
  const { snapshot, searchText } = props;
  const text = searchText.trim();
  const active = snapshot !== undefined && ACTIVE.has(snapshot.phase);
  const newRequest = text !== "" && text !== snapshot?.request;
  const waiting =
    snapshot?.phase === "confirming" ? snapshot.steps.filter((s) => s.status === "waiting") : [];
  const others = snapshot?.steps.filter((step) => !waiting.includes(step)) ?? [];
  const showingDetail = (snapshot?.steps.length ?? 0) > 0;
  // The root list keeps the command's own title whatever the phase (Raycast's convention); the phase shows
  // in the loading bar, the sections and the steps' icons.
  return (
    <List
      searchText={searchText}
      onSearchTextChange={props.onSearchTextChange}
      filtering={false}
      isLoading={
        props.isLoading ||
        (snapshot !== undefined && (snapshot.phase === "planning" || snapshot.phase === "running"))
      }
      isShowingDetail={showingDetail}
      searchBarPlaceholder="Ask TinyAgent to do something, then press ↵"
    >
      {newRequest && (
        <List.Item
          title={`Ask “${text}”`}
          icon={Icon.Wand}
          accessories={
            props.fastPlanner && !showingDetail
              ? [{ tag: FAST_PLANNER_LABEL, tooltip: "TinyAgent-micro" }]
              : []
          }
          actions={
            <ActionPanel>
              <Action title="Ask TinyAgent" icon={Icon.Wand} onAction={() => props.onAsk(text)} />
              {active && <CancelAction onCancel={props.onCancel} />}
              <DownloadPlannerAction offer={props.fastPlanner} />
            </ActionPanel>
          }
        />
      )}
      {!snapshot && !newRequest && (
        <List.EmptyView
          icon={props.loadingText ? Icon.Hourglass : Icon.Wand}
          title={props.loadingText ?? "What should TinyAgent do?"}
          description={
            "For example: email Sid and Lutfi the Q3 deck and put a review on my calendar Friday at 3" +
            (props.fastPlanner ? `\n\n${FAST_PLANNER_LABEL} (TinyAgent-micro) in use.` : "")
          }
          actions={
            props.fastPlanner?.onDownload && (
              <ActionPanel>
                <DownloadPlannerAction offer={props.fastPlanner} />
              </ActionPanel>
            )
          }
        />
      )}
      {snapshot && <Outcome snapshot={snapshot} onAsk={props.onAsk} />}
      {snapshot?.answer !== undefined && <AnswerSection snapshot={snapshot} onCancel={props.onCancel} />}
      {snapshot?.retry !== undefined && <RetrySection snapshot={snapshot} onCancel={props.onCancel} />}
      {snapshot?.choice && (
        <ChoiceSection snapshot={snapshot} onChoose={props.onChoose} onCancel={props.onCancel} />
      )}
      {waiting.length > 0 && (
        <List.Section title="Needs Your Confirmation" subtitle={`${waiting.length}`}>
          {waiting.map((step) => (
            <StepItem key={step.index} step={step} snapshot={snapshot!} props={props} />
          ))}
        </List.Section>
      )}
      {others.length > 0 && (
        <List.Section title="Plan" subtitle={planSubtitle(snapshot!, others.length)}>
          {others.map((step) => (
            <StepItem key={step.index} step={step} snapshot={snapshot!} props={props} />
          ))}
        </List.Section>
      )}
    </List>
  );
}

function DownloadPlannerAction({ offer }: { offer: PlanListProps["fastPlanner"] }) {
  if (!offer?.onDownload || !offer.downloadTitle) return null;
  return <Action title={offer.downloadTitle} icon={Icon.Download} onAction={offer.onDownload} />;
}

/** The plan section's subtitle: how many steps, and where the run is when it is not waiting for you. */
export function planSubtitle(snapshot: RunSnapshot, count: number): string {
  const state = PHASE_TEXT[snapshot.phase];
  return state ? `${count} · ${state}` : `${count}`;
}

const PHASE_TEXT: Record<RunSnapshot["phase"], string | undefined> = {
  planning: "Planning…",
  running: "Running…",
  confirming: undefined,
  choosing: undefined,
  finished: "Finished",
  cancelled: "Cancelled",
  "no-tools": undefined,
  failed: undefined,
};

/**
 * A request that ended without a plan to show: no tool fits, or planning failed. Each is the list's empty
 * view (it has no rows then), saying what happened and what to do, with actions for the failure.
 */
function Outcome({ snapshot, onAsk }: { snapshot: RunSnapshot; onAsk: (request: string) => void }) {
  if (snapshot.phase === "no-tools") {
    return (
      <List.EmptyView
        icon={Icon.QuestionMarkCircle}
        title={snapshot.message ?? "I can't do that with the tools I have."}
        description="TinyAgent works with Mail, Messages, Contacts, Calendar, Reminders, Notes, Files, Maps and Zoom. Ask for something they can do, or check Enabled Apps in the preferences."
        actions={
          <ActionPanel>
            <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
          </ActionPanel>
        }
      />
    );
  }
  if (snapshot.phase !== "failed") return null;
  return (
    <List.EmptyView
      icon={{ source: Icon.Warning, tintColor: Color.Red }}
      title="TinyAgent could not plan this"
      description={snapshot.message ?? ""}
      actions={
        <ActionPanel>
          <Action title="Try Again" icon={Icon.ArrowClockwise} onAction={() => onAsk(snapshot.request)} />
          <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
          {snapshot.message && <Action.CopyToClipboard title="Copy Error" content={snapshot.message} />}
        </ActionPanel>
      }
    />
  );
}

/**
 * The run's answer, above the steps as Raycast AI shows its answer above its tool calls: the looked-up
 * values, or what was done and what was not. The detail pane holds the whole text; ↵ copies it.
 */
function AnswerSection({ snapshot, onCancel }: { snapshot: RunSnapshot; onCancel: () => void }) {
  const answer = snapshot.answer ?? "";
  return (
    <TextSection title="Answer" icon={Icon.SpeechBubble} text={answer}>
      <Action.CopyToClipboard title="Copy Answer" content={answer} />
      <Action.CopyToClipboard title="Copy Plan" content={snapshot.planText} shortcut={COPY_PLAN} />
      {ACTIVE.has(snapshot.phase) && <CancelAction onCancel={onCancel} />}
    </TextSection>
  );
}

/**
 * "Trying again: …" while the request is planned a second time after a fixable failure, and after it as
 * the record of why. While it runs, ↵ stops it.
 */
function RetrySection({ snapshot, onCancel }: { snapshot: RunSnapshot; onCancel: () => void }) {
  const retry = snapshot.retry ?? "";
  return (
    <TextSection title="Second Plan" icon={Icon.ArrowClockwise} text={retry}>
      {ACTIVE.has(snapshot.phase) && (
        <Action
          title="Stop Trying Again"
          icon={Icon.Stop}
          style={Action.Style.Destructive}
          onAction={onCancel}
        />
      )}
      <Action.CopyToClipboard title="Copy Reason" content={retry} />
    </TextSection>
  );
}

/** A section of one row of text (the answer, the reason for a second plan): whole in the detail pane. */
function TextSection(props: { title: string; icon: Icon; text: string; children: React.ReactNode }) {
  return (
    <List.Section title={props.title}>
      <List.Item
        icon={props.icon}
        title={props.text}
        detail={<List.Item.Detail markdown={escapeMarkdown(props.text)} />}
        actions={<ActionPanel>{props.children}</ActionPanel>}
      />
    </List.Section>
  );
}

function ChoiceSection(props: {
  snapshot: RunSnapshot;
  onChoose: (value: string | undefined) => void;
  onCancel: () => void;
}) {
  const choice = props.snapshot.choice!;
  return (
    <List.Section title={choice.question} subtitle={`step ${choice.step}`}>
      {choice.options.map((option) => (
        <List.Item
          key={option.value}
          icon={Icon.Person}
          title={option.label}
          subtitle={option.detail ?? ""}
          actions={
            <ActionPanel>
              <Action title="Choose" icon={Icon.Check} onAction={() => props.onChoose(option.value)} />
              <Action
                title="None of These"
                icon={Icon.XMarkCircle}
                onAction={() => props.onChoose(undefined)}
              />
              <CancelAction onCancel={props.onCancel} />
            </ActionPanel>
          }
        />
      ))}
    </List.Section>
  );
}

/** A step of the run, with the run it belongs to and the list's handlers. */
interface StepProps {
  step: StepView;
  snapshot: RunSnapshot;
  props: PlanListProps;
}

function StepItem({ step, snapshot, props }: StepProps) {
  const tool = defaultRegistry.get(step.tool);
  const detail = stepDetail(step, tool);
  return (
    <List.Item
      icon={stepIcon(step.app, step.status)}
      title={step.summary}
      detail={
        <List.Item.Detail
          markdown={detail.markdown}
          metadata={
            <List.Item.Detail.Metadata>
              <List.Item.Detail.Metadata.Label title="Status" {...statusLabel(step.status)} />
              {detail.fields.map((field) => (
                <List.Item.Detail.Metadata.Label key={field.label} title={field.label} text={field.value} />
              ))}
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={
        <ActionPanel>
          <StepActions step={step} snapshot={snapshot} props={props} />
          <ActionPanel.Section>
            <Action.CopyToClipboard title="Copy Plan" content={snapshot.planText} shortcut={COPY_PLAN} />
            {ACTIVE.has(snapshot.phase) && <CancelAction onCancel={props.onCancel} />}
          </ActionPanel.Section>
        </ActionPanel>
      }
    />
  );
}

/** The actions that fit the step's state; the first is what ↵ does. */
function StepActions({ step, snapshot, props }: StepProps) {
  const tool = defaultRegistry.get(step.tool);
  if (step.status === "waiting" && snapshot.phase === "confirming") {
    const count = snapshot.confirmation.length;
    return (
      <ActionPanel.Section>
        {tool && step.args && (
          // ↵ opens the form rather than approving, so pressing ↵ twice after asking approves nothing.
          <Action.Push
            title="Edit Arguments"
            icon={Icon.Pencil}
            target={
              <EditArgumentsForm
                tool={tool}
                args={step.args}
                summary={step.summary}
                onSubmit={(values) => props.onEdit(step.index, values)}
              />
            }
          />
        )}
        <Action
          title={count > 1 ? `Confirm and Run ${count} Steps` : "Confirm and Run"}
          icon={Icon.Play}
          shortcut={CONFIRM}
          onAction={props.onConfirmAll}
        />
        <Action
          title="Skip Step"
          icon={Icon.MinusCircle}
          shortcut={SKIP}
          onAction={() => props.onSkip(step.index)}
        />
      </ActionPanel.Section>
    );
  }
  if (step.status === "failed" && step.error?.settings) {
    return (
      <ActionPanel.Section>
        <Action.Open title="Open System Settings" icon={Icon.Gear} target={step.error.settings.url} />
        <Action.CopyToClipboard title="Copy Error" content={step.error.message} />
      </ActionPanel.Section>
    );
  }
  if (step.status === "failed" && step.error) {
    return (
      <ActionPanel.Section>
        <Action.CopyToClipboard title="Copy Error" content={step.error.message} />
      </ActionPanel.Section>
    );
  }
  if (step.status === "done") {
    const result = step.result;
    return (
      <ActionPanel.Section>
        {result?.kind === "url" && <Action.OpenInBrowser title={result.title} url={result.url} />}
        {result && result.kind !== "url" && (
          <Action.Open title={result.title} icon={Icon.ArrowNe} target={result.path} />
        )}
        {step.observation !== undefined && (
          <Action.CopyToClipboard title="Copy Result" content={step.observation} />
        )}
      </ActionPanel.Section>
    );
  }
  return null;
}

function CancelAction({ onCancel }: { onCancel: () => void }) {
  return (
    <Action
      title="Cancel"
      icon={Icon.Stop}
      shortcut={CANCEL}
      style={Action.Style.Destructive}
      onAction={onCancel}
    />
  );
}
