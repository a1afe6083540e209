import { Action, ActionPanel, Form, Icon, showToast, Toast, useNavigation } from "@raycast/api";
import { useState } from "react";
import {
  argumentFields,
  type ArgumentField,
  type FormValues,
  type ParsedArguments,
} from "../../agent/session/argument-form";
import type { ResolvedArgs } from "../../agent/executor/events";
import type { AnyTool } from "../../tools/tool";

export interface EditArgumentsFormProps {
  tool: AnyTool;
  args: ResolvedArgs;
  summary: string;
  /** Checks and keeps the edit; the form stays open with the reasons when it is invalid. */
  onSubmit: (values: FormValues) => ParsedArguments;
}

/** Edit Arguments: one field per parameter of the tool, checked by the tool's schema on submit. */
export function EditArgumentsForm({ tool, args, summary, onSubmit }: EditArgumentsFormProps) {
  const { pop } = useNavigation();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fields = argumentFields(tool, args);

  function submit(values: FormValues) {
    const parsed = onSubmit(values);
    if (!parsed.ok) {
      setErrors(parsed.fieldErrors);
      void showToast({ style: Toast.Style.Failure, title: "Arguments not changed", message: parsed.message });
      return;
    }
    void showToast({
      style: Toast.Style.Success,
      title: "Arguments changed",
      message: "Confirm and Run to use them",
    });
    pop();
  }

  return (
    <Form
      navigationTitle={`Edit: ${summary}`}
      actions={
        <ActionPanel>
          <Action.SubmitForm title="Save Arguments" icon={Icon.Check} onSubmit={submit} />
        </ActionPanel>
      }
    >
      <Form.Description text={tool.description} />
      {fields.map((field) => (
        <ArgumentInput key={field.name} field={field} error={errors[field.name]} />
      ))}
    </Form>
  );
}

function ArgumentInput({ field, error }: { field: ArgumentField; error: string | undefined }) {
  const common = { id: field.name, title: field.title, info: field.info, ...(error ? { error } : {}) };
  switch (field.kind) {
    case "checkbox":
      return <Form.Checkbox {...common} label={field.info} defaultValue={field.value} />;
    case "choice":
      return (
        <Form.Dropdown {...common} defaultValue={field.value}>
          {field.options.map((option) => (
            <Form.Dropdown.Item key={option} value={option} title={option} />
          ))}
        </Form.Dropdown>
      );
    case "text":
      return field.multiline ? (
        <Form.TextArea {...common} defaultValue={field.value} placeholder={field.placeholder} />
      ) : (
        <Form.TextField {...common} defaultValue={field.value} placeholder={field.placeholder} />
      );
    case "list":
    case "number":
      return <Form.TextField {...common} defaultValue={field.value} placeholder={field.placeholder} />;
  }
}
