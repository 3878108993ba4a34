/**
 * The app's commands: one table read by the native menu (main), the renderer's keyboard shortcuts and the
 * command palette, so a shortcut is written once. Pure: no Electron, no Node, no DOM.
 */
export type CommandId =
  | 'open-build-context'
  | 'open-dockerfile'
  | 'open-image-archive'
  | 'save'
  | 'build'
  | 'commit-container'
  | 'compare-images'
  | 'show-images'
  | 'show-containers'
  | 'show-build'
  | 'command-palette'
  | 'settings';

export interface CommandDef {
  id: CommandId;
  /** As the menu shows it; an ellipsis when the command asks something before it acts. */
  label: string;
  /** Electron's accelerator syntax (`CmdOrCtrl+Shift+O`); the renderer matches key presses against it. */
  accelerator?: string;
  /** Where the palette files it. */
  group: 'File' | 'Image' | 'View' | 'App';
  /** More words the palette matches. */
  keywords?: string;
}

// Shortcuts avoid Ctrl+Alt (AltGr on many keyboard layouts types characters with it) and the keys browsers
// and terminals reserve (Ctrl+N, Ctrl+T, Ctrl+W, Ctrl+Shift+C).
export const commands: readonly CommandDef[] = [
  {
    id: 'open-build-context',
    label: 'Open Build Context...',
    accelerator: 'CmdOrCtrl+O',
    group: 'File',
    keywords: 'folder directory project',
  },
  {
    id: 'open-dockerfile',
    label: 'Open Dockerfile...',
    accelerator: 'CmdOrCtrl+Shift+O',
    group: 'File',
    keywords: 'containerfile',
  },
  {
    id: 'open-image-archive',
    label: 'Open Image Archive...',
    accelerator: 'CmdOrCtrl+L',
    group: 'File',
    keywords: 'load tar docker load',
  },
  { id: 'save', label: 'Save', accelerator: 'CmdOrCtrl+S', group: 'File', keywords: 'docker save archive tar export' },
  { id: 'build', label: 'Build', accelerator: 'CmdOrCtrl+B', group: 'Image', keywords: 'docker build dockerfile' },
  {
    id: 'commit-container',
    label: 'Commit Container...',
    accelerator: 'CmdOrCtrl+Shift+M',
    group: 'Image',
    keywords: 'docker commit snapshot',
  },
  {
    id: 'compare-images',
    label: 'Compare Images...',
    accelerator: 'CmdOrCtrl+Shift+D',
    group: 'Image',
    keywords: 'diff',
  },
  { id: 'show-images', label: 'Images', accelerator: 'CmdOrCtrl+1', group: 'View', keywords: 'go to view list' },
  {
    id: 'show-containers',
    label: 'Containers',
    accelerator: 'CmdOrCtrl+2',
    group: 'View',
    keywords: 'go to view list',
  },
  { id: 'show-build', label: 'Build View', accelerator: 'CmdOrCtrl+3', group: 'View', keywords: 'go to view' },
  {
    id: 'command-palette',
    label: 'Command Palette...',
    accelerator: 'CmdOrCtrl+K',
    group: 'View',
    keywords: 'search find',
  },
  {
    id: 'settings',
    label: 'Settings...',
    accelerator: 'CmdOrCtrl+,',
    group: 'App',
    keywords: 'preferences options engine theme data',
  },
];

const byId = new Map<string, CommandDef>(commands.map((c) => [c.id, c]));

/** The command with this id, or undefined for a name the table does not know (e.g. from an old renderer). */
export function commandById(id: string): CommandDef | undefined {
  return byId.get(id);
}

/** Documentation the Help menu opens in the browser: only these https addresses are ever opened. */
export const helpLinks: ReadonlyArray<{ label: string; url: string }> = [
  { label: 'Dockerfile Reference', url: 'https://docs.docker.com/reference/dockerfile/' },
  { label: 'Build Context and .dockerignore', url: 'https://docs.docker.com/build/concepts/context/' },
  { label: 'Docker Engine API', url: 'https://docs.docker.com/reference/api/engine/' },
];

/** Split a path into its folder and file name, for either separator (the renderer gets Windows paths too). */
export function splitPath(path: string): { dir: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return { dir: '', name: path };
  // Keep the root's separator: "/Dockerfile" lives in "/", "C:\Dockerfile" in "C:\".
  const dir = cut === 0 || (cut === 2 && path[1] === ':') ? path.slice(0, cut + 1) : path.slice(0, cut);
  return { dir, name: path.slice(cut + 1) };
}
