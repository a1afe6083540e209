/**
 * Whether opening a file runs code or changes the Mac: `open` hands a file to its default app, and for an
 * app, a script, an installer or a link that app is the file itself, Terminal, Installer or whatever the
 * link points at. Such a file is opened only after the person approves it; a document is opened at once.
 */

/**
 * What opening files with these extensions does, by space-separated extensions (lower case, no dot).
 * Bundles (`.app`) are folders to `stat`, so their name is the only sign of them.
 */
const RISKY_EXTENSIONS: readonly (readonly [extensions: string, what: string])[] = [
  ["app", "an app: opening it starts it"],
  ["command tool sh bash zsh csh tcsh ksh fish", "a shell script: opening it runs it in Terminal"],
  ["py pyw pl rb php", "a script: opening it may run it (Python Launcher and others do)"],
  ["jar", "a Java program: opening it runs it"],
  ["terminal", "a Terminal window file: opening it can run commands"],
  ["workflow action", "an Automator workflow: opening it may run it"],
  ["pkg mpkg", "an installer package: opening it starts installing software"],
  ["dmg", "a disk image: opening it mounts it, and installers often start from it"],
  ["mobileconfig", "a configuration profile: opening it starts installing it on this Mac"],
  [
    "prefpane saver qlgenerator plugin bundle kext appex xpc osax mdimporter",
    "a system extension or plug-in: opening it installs or loads it",
  ],
  ["shortcut", "a shortcut: opening it adds it to Shortcuts, where it can run"],
  ["webloc inetloc fileloc url", "a link: opening it opens whatever it points at, which may be an app"],
];

const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  RISKY_EXTENSIONS.flatMap(([extensions, what]) =>
    extensions.split(" ").map((extension) => [extension, what] as const),
  ),
);

/**
 * Documents macOS opens in a viewer or editor whatever their permission bits say (files copied from FAT
 * drives or unpacked from some archives are all marked executable). Their names settle it: no `stat`.
 */
const DOCUMENTS: ReadonlySet<string> = new Set(
  (
    "pdf txt rtf rtfd md csv tsv doc docx xls xlsx ppt pptx key pages numbers odt ods odp epub " +
    "png jpg jpeg gif heic heif tif tiff bmp webp svg psd mp3 m4a aac wav aiff flac mp4 m4v mov avi mkv " +
    "zip json xml yaml yml log ics vcf eml"
  ).split(" "),
);

/** What `fileModeCommand` (files.ts) printed. */
export interface FileMode {
  /** Permission bits, e.g. 0o755. */
  permissions: number;
  /** "Regular File", "Directory", "Symbolic Link", … */
  kind: string;
}

/** Reads `fileModeCommand`'s output; undefined when it is not what stat prints. */
export function parseFileMode(output: string): FileMode | undefined {
  const match = /^([0-7]{1,4}) (.+)$/.exec(output.trim());
  if (!match) return undefined;
  return { permissions: Number.parseInt(match[1]!, 8), kind: match[2]! };
}

function nameAndExtension(path: string): { name: string; extension: string } {
  const trimmed = path.replace(/\/+$/, "");
  const name = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return { name, extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : "" };
}

/**
 * Whether the name leaves open what opening the file does, so its kind and permissions must be looked
 * at: not for an app, a script or an installer (it needs approval whatever stat says), nor for a common
 * document (it opens in its viewer or editor).
 */
export function needsFileMode(path: string): boolean {
  const { extension } = nameAndExtension(path);
  return !BY_EXTENSION.has(extension) && !DOCUMENTS.has(extension);
}

/**
 * Why opening this file needs the person's approval, or undefined for a document or a folder. `mode` is
 * what stat said about it, when `needsFileMode` asked for it.
 */
export function openingRisk(path: string, mode?: FileMode): string | undefined {
  const { name, extension } = nameAndExtension(path);
  const known = BY_EXTENSION.get(extension);
  if (known) return `${name} is ${known}.`;
  if (!mode) return undefined;
  if (mode.kind === "Symbolic Link") {
    return `${name} is a symbolic link: opening it opens whatever it points at, which may be an app.`;
  }
  if (mode.kind !== "Regular File") return undefined;
  if (extension === "") {
    return `${name} has no file extension: macOS may run it as a program or follow it as an alias to an app.`;
  }
  if ((mode.permissions & 0o111) !== 0) {
    return `${name} is marked as a program (executable): opening it may run it in Terminal.`;
  }
  return undefined;
}
