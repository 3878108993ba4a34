import { commands, type CommandId } from '$shared/commands';
import { humanSize, shortId } from '$shared/images/format';
import { displayAccelerator } from '../../lib/shortcuts';

/** What a palette entry does when chosen. */
export type PaletteAction =
  | { kind: 'command'; command: CommandId }
  | { kind: 'navigate'; view: 'images' | 'containers' | 'build'; params: Record<string, string> };

export interface PaletteItem {
  /** Unique within the list (the option's DOM id derives from it). */
  key: string;
  group: 'File' | 'Image' | 'View' | 'App' | 'Images' | 'Containers';
  label: string;
  detail?: string;
  shortcut?: string;
  keywords?: string;
  action: PaletteAction;
}

/** The rows of the two lists the palette reaches, as much of them as it shows. */
export interface ImageRowLike {
  key: string;
  imageId: string;
  repository: string;
  tag: string;
  dangling: boolean;
  size: number;
}
export interface ContainerLike {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
}

/** Every command but the palette itself, with its shortcut as this system writes it. */
export function commandItems(mac: boolean): PaletteItem[] {
  return commands
    .filter((c) => c.id !== 'command-palette')
    .map((c) => ({
      key: `command:${c.id}`,
      group: c.group,
      label: c.label.replace(/\.\.\.$/, '…'),
      ...(c.accelerator ? { shortcut: displayAccelerator(c.accelerator, mac) } : {}),
      ...(c.keywords ? { keywords: c.keywords } : {}),
      action: { kind: 'command', command: c.id },
    }));
}

export function imageItems(rows: readonly ImageRowLike[]): PaletteItem[] {
  return rows.map((row) => ({
    key: `image:${row.key}`,
    group: 'Images',
    label: row.dangling ? `<none> ${shortId(row.imageId)}` : `${row.repository}:${row.tag}`,
    detail: `${shortId(row.imageId)} · ${humanSize(row.size)}`,
    keywords: 'image',
    // Opened by the tag chosen, so details name it and can untag it (as a click on that row in the list does).
    action: {
      kind: 'navigate',
      view: 'images',
      params: { id: row.imageId, ...(row.tag !== '<none>' ? { reference: `${row.repository}:${row.tag}` } : {}) },
    },
  }));
}

/** A container opens in the Containers view; a running one also offers its terminal. */
export function containerItems(list: readonly ContainerLike[]): PaletteItem[] {
  return list.flatMap((c): PaletteItem[] => {
    const open: PaletteItem = {
      key: `container:${c.id}`,
      group: 'Containers',
      label: c.name,
      detail: `${c.image} · ${c.status || c.state}`,
      keywords: `container ${shortId(c.id)}`,
      action: { kind: 'navigate', view: 'containers', params: { id: c.id } },
    };
    if (c.state !== 'running') return [open];
    return [
      open,
      {
        key: `terminal:${c.id}`,
        group: 'Containers',
        label: `Open Terminal: ${c.name}`,
        detail: c.image,
        keywords: `shell exec attach ${shortId(c.id)}`,
        action: { kind: 'navigate', view: 'containers', params: { terminal: c.id, name: c.name } },
      },
    ];
  });
}

/**
 * Items matching what was typed: every word must appear somewhere in the item; labels that start with the
 * query come first, then labels that contain it, then the rest, each in their original order.
 */
export function filterItems(items: readonly PaletteItem[], query: string, limit = 60): PaletteItem[] {
  const q = query.trim().toLowerCase();
  if (!q) return items.slice(0, limit);
  const words = q.split(/\s+/);
  const scored = items.flatMap((item, index) => {
    const label = item.label.toLowerCase();
    const text = `${label} ${item.detail ?? ''} ${item.keywords ?? ''} ${item.group}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) return [];
    const rank = label.startsWith(q) ? 0 : label.includes(q) ? 1 : 2;
    return [{ item, rank, index }];
  });
  scored.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.item);
}
