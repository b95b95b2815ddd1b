import type { QueueHandler } from './types';

const g = globalThis as unknown as { __liaisonQueueHandlers?: Map<string, QueueHandler> };

/** Makes a kind of work known to the workers of this process. Registering a kind again replaces it. */
export function registerQueueHandler<R>(handler: QueueHandler<R>): void {
  g.__liaisonQueueHandlers ??= new Map();
  g.__liaisonQueueHandlers.set(handler.kind, handler as QueueHandler);
}

export function queueHandlers(): Map<string, QueueHandler> {
  g.__liaisonQueueHandlers ??= new Map();
  return g.__liaisonQueueHandlers;
}
