import { DEFAULT_MODEL_ID } from "../model/catalog";
import { APPS, type App } from "../../tools/tool";

/** The extension's preferences as Raycast hands them over: strings and booleans, any of them unset. */
export interface RawPreferences {
  plannerModel?: string;
  customModelPath?: string;
  serverUrl?: string;
  serverModel?: string;
  customInstructions?: string;
  messagesDraftOnly?: boolean;
  zoomClientId?: string;
  keepHistory?: boolean;
  /** One checkbox per app, `app<Name>`: false turns the app's tools off. */
  [appCheckbox: `app${string}`]: boolean | string | undefined;
}

export type PlannerSetting =
  | { kind: "catalog"; modelId: string }
  | { kind: "custom"; path: string }
  | { kind: "server"; url: string; model?: string };

export interface AgentSettings {
  planner: PlannerSetting;
  disabledApps: ReadonlySet<App>;
  customInstructions?: string;
  messagesDraftOnly: boolean;
  zoomClientId?: string;
  /** Keep each request, its plan and its steps' results in History (see HistoryStore). */
  keepHistory: boolean;
}

export type SettingsResult = { ok: true; settings: AgentSettings } | { ok: false; message: string };

/** The preference key of an app's checkbox: "appCalendar", "appSms". */
export function appPreferenceKey(app: App): `app${string}` {
  return `app${app.charAt(0).toUpperCase()}${app.slice(1)}`;
}

/**
 * Preferences into settings, with a message saying which preference to fix when they do not add up (a
 * custom model without a file, a server without a URL).
 */
export function readSettings(raw: RawPreferences): SettingsResult {
  const planner = plannerOf(raw);
  if ("message" in planner) return { ok: false, message: planner.message };
  const disabledApps = new Set(APPS.filter((app) => raw[appPreferenceKey(app)] === false));
  const instructions = raw.customInstructions?.trim();
  const zoom = raw.zoomClientId?.trim();
  return {
    ok: true,
    settings: {
      planner,
      disabledApps,
      messagesDraftOnly: raw.messagesDraftOnly === true,
      keepHistory: keepsHistory(raw),
      ...(instructions ? { customInstructions: instructions } : {}),
      ...(zoom ? { zoomClientId: zoom } : {}),
    },
  };
}

/** The Keep History checkbox; on unless turned off. Read alone by History, whatever the planner settings. */
export function keepsHistory(raw: Pick<RawPreferences, "keepHistory">): boolean {
  return raw.keepHistory !== false;
}

function plannerOf(raw: RawPreferences): PlannerSetting | { message: string } {
  const choice = raw.plannerModel?.trim() || DEFAULT_MODEL_ID;
  if (choice === "custom") {
    const path = raw.customModelPath?.trim();
    if (!path)
      return {
        message:
          "Planner Model is set to a custom GGUF file, but no file is chosen. Pick one in Custom Model File.",
      };
    return { kind: "custom", path };
  }
  if (choice === "server") {
    const url = raw.serverUrl?.trim();
    if (!url)
      return {
        message:
          "Planner Model is set to a server, but Server URL is empty. Enter it, e.g. http://127.0.0.1:11434.",
      };
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
    } catch {
      return { message: `Server URL "${url}" is not an http(s) address, e.g. http://127.0.0.1:11434.` };
    }
    const model = raw.serverModel?.trim();
    return { kind: "server", url, ...(model ? { model } : {}) };
  }
  return { kind: "catalog", modelId: choice };
}
