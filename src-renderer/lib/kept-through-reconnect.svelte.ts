/**
 * What stays on screen while the engine is away, marked as not current, instead of giving way to the no-engine
 * page: the image whose details are open. The user keeps their place; the details refresh when the engine is back.
 */
export const keptThroughReconnect = $state<{ imageId: string | undefined }>({ imageId: undefined });
