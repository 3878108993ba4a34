import { tick } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { splitPath, type CommandId } from '$shared/commands';
import type { PathKind } from '../../src-main/ipc/contract/app';
import { loadContext, session as buildSession, startBuild } from '../components/build/build-session.svelte';
import { saveBeforeBuild } from '../components/editor/dockerfile-document.svelte';
import { api, errorMessage } from './api';
import { notice } from './notice.svelte';
import { navigate, router } from './router.svelte';

export { notice };

/** Whether the command palette and the settings dialog are open. */
export const commandUi = $state({
  paletteOpen: false,
  settingsOpen: false,
});

/** Views that handle a command themselves (Save in the Images view) listen for this on window. */
export const VIEW_COMMAND_EVENT = 'strata:command';

const inFlight = new SvelteSet<string>();

/**
 * Run a command from a shortcut, the palette, the native menu or "Open with". One at a time per command:
 * a menu click and its key press arriving together, or a second press while a dialog is open, run it once.
 */
export async function runCommand(command: string, path?: string): Promise<void> {
  if (inFlight.has(command)) return;
  inFlight.add(command);
  try {
    await perform(command as CommandId, path);
  } catch (err) {
    notice(errorMessage(err), true);
  } finally {
    inFlight.delete(command);
  }
}

async function perform(command: CommandId, path: string | undefined): Promise<void> {
  switch (command) {
    case 'show-images':
      return navigate('images');
    case 'show-containers':
      return navigate('containers');
    case 'show-build':
      return navigate('build');
    case 'command-palette':
      commandUi.paletteOpen = true;
      return;
    case 'settings':
      commandUi.settingsOpen = true;
      return;
    case 'open-build-context': {
      const dir = path ?? (await choose('build-context'));
      if (dir) await openInBuild(dir, undefined);
      return;
    }
    case 'open-dockerfile': {
      const file = path ?? (await choose('dockerfile'));
      if (file) {
        const { dir, name } = splitPath(file);
        await openInBuild(dir, name);
      }
      return;
    }
    case 'open-image-archive': {
      // Opening an archive reads its layers without loading it (the Images view can load it from there).
      const archive = path ?? (await choose('image-archive'));
      if (archive) navigate('images', { archive });
      return;
    }
    case 'save':
      if (!viewHandled('save')) {
        navigate('images');
        notice('Select images in the Images view, then Save, to write them to an archive.');
      }
      return;
    case 'build':
      navigate('build');
      // Like the Build button: unsaved editor changes are saved first (or the user cancels).
      if (buildSession.contextDir.trim()) {
        if (await saveBeforeBuild()) await startBuild();
      } else await focusBuildContext();
      return;
    case 'commit-container':
      return navigate('containers', { commit: '' });
    case 'compare-images':
      navigate('images');
      await tick();
      if (!viewHandled('compare-images')) notice('Select two images in the Images view, then Compare.');
      return;
  }
}

/**
 * A path from a native dialog; undefined when the user cancelled. In the browser preview there are no
 * dialogs: undefined too, and the view it leads to takes the path typed in.
 */
async function choose(kind: PathKind): Promise<string | undefined> {
  const { path, native } = await api.app.choosePath({ kind });
  if (!native) {
    if (kind === 'image-archive') {
      navigate('images');
      await tick();
      if (!viewHandled('open-image-archive'))
        notice('Use “Open archive…” in the Images view to type the archive’s path.');
    } else {
      await focusBuildContext();
    }
  }
  return path ?? undefined;
}

/** Show a context folder (and a Dockerfile in it) in the Build view, with what it was last built with. */
async function openInBuild(dir: string, dockerfile: string | undefined): Promise<void> {
  // Only the form's last options: a folder that cannot be read is reported by the Build view's open.
  await loadContext(dir).catch(() => undefined);
  if (dockerfile) buildSession.dockerfile = dockerfile;
  navigate('build', { context: dir, dockerfile: buildSession.dockerfile });
}

/** Let the showing view take a command; true when it did. */
function viewHandled(command: CommandId): boolean {
  const event = new CustomEvent(VIEW_COMMAND_EVENT, { detail: { command, view: router.view }, cancelable: true });
  return !window.dispatchEvent(event);
}

async function focusBuildContext(): Promise<void> {
  navigate('build');
  await tick();
  document.querySelector<HTMLInputElement>('section[aria-label="Build"] input')?.focus();
}
