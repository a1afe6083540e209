import { Icon, List } from "@raycast/api";
import { TOOLS } from "../tools/registry";
import { toolSignature, type App } from "../tools/tool";

const APP_ICONS: Record<App, Icon> = {
  calendar: Icon.Calendar,
  contacts: Icon.Person,
  files: Icon.Document,
  mail: Icon.Envelope,
  maps: Icon.Map,
  notes: Icon.Paragraph,
  reminders: Icon.CheckCircle,
  sms: Icon.Message,
  zoom: Icon.Video,
};

/**
 * Ask TinyAgent. Until the local planner lands, the command shows what TinyAgent can do: the actions a
 * plan may use, each with the arguments it takes and whether it needs your confirmation.
 */
export default function AskTinyAgent() {
  return (
    <List searchBarPlaceholder="Filter the actions TinyAgent can take…" isShowingDetail>
      <List.Section title="Actions" subtitle={`${TOOLS.length}`}>
        {TOOLS.map((tool) => (
          <List.Item
            key={tool.name}
            icon={APP_ICONS[tool.app]}
            title={tool.name}
            keywords={[tool.app]}
            accessories={tool.effect === "write" ? [{ tag: "asks first" }] : []}
            detail={<List.Item.Detail markdown={`**${tool.description}**\n\n\`${toolSignature(tool)}\``} />}
          />
        ))}
      </List.Section>
    </List>
  );
}
