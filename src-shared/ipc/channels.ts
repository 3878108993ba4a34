// Written by scripts/write-channels.ts from src-main/ipc/contract; do not edit by hand.
// The channel names without the schemas, so the preload and the renderer's client carry no zod.

/** Each domain's methods; a channel's name is `<domain>.<method>`. */
export const channels = {
  engine: ['status', 'candidates', 'choose', 'useAutomatic', 'forget', 'retryNow'],
  jobs: ['list', 'events', 'cancel'],
  containers: [
    'list',
    'start',
    'stop',
    'restart',
    'remove',
    'run',
    'logs',
    'openTerminal',
    'terminalInput',
    'terminalResize',
    'terminalDetach',
  ],
  commit: ['diff', 'checkTag', 'defaults', 'commit'],
  build: ['start', 'rebuild', 'history', 'historyGet', 'historyDelete', 'dockerfileInfo', 'lastOptions'],
  images: [
    'list',
    'diskUse',
    'inspect',
    'history',
    'containers',
    'compare',
    'compareFiles',
    'tag',
    'untag',
    'planRemoval',
    'remove',
    'planPrune',
    'prune',
    'save',
    'load',
    'import',
  ],
  app: ['info', 'settings', 'updateSettings', 'choosePath', 'showDataFolder'],
  files: ['read', 'save', 'watch'],
  context: ['open', 'recent', 'forget', 'scan', 'addIgnoreRule', 'tree', 'treeRows'],
  layers: ['analyzeImage', 'analyzeArchive', 'rows', 'summary'],
} as const;

export type ChannelDomain = keyof typeof channels;

/** Every channel name, in the contract's order. */
export const channelNames: readonly string[] = Object.entries(channels).flatMap(([domain, methods]) =>
  methods.map((method) => `${domain}.${method}`),
);
