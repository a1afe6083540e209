import { z } from "zod";
import { fromRequest, takesResults } from "./formats";
import { defineTool } from "./tool";

export const openAndGetFilePath = defineTool({
  name: "open_and_get_file_path",
  app: "files",
  effect: "read",
  description: "Finds a file by name with Spotlight, opens it and returns its full path.",
  result: "file-path",
  args: z.object({
    file_name: fromRequest(
      z.string().min(1).describe("Name of the file, or the words the person used for it"),
    ),
  }),
});

export const summarizePdf = defineTool({
  name: "summarize_pdf",
  app: "files",
  effect: "read",
  description: "Reads a PDF file and returns a short summary of its text.",
  result: "summary",
  args: z.object({
    pdf_path: takesResults(
      z.string().min(1).describe("Full path of the PDF file, usually the result of open_and_get_file_path"),
      ["file-path"],
    ),
  }),
});
