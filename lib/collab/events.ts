import type { Audience } from './types';

/**
 * Changes made outside a socket (the console's server actions, GraphQL) still reach the sockets that may
 * see them: the real-time layer subscribes here once (lib/realtime) and emits each event to its
 * audience's rooms, exactly as a socket handler's ctx.emitTo would. Without a subscriber (a process that
 * runs no socket server, such as the CLI or a test) publishing does nothing.
 */
export type CollabEvent = { event: 'comment:created' | 'comment:resolved' | 'comment:reopened' | 'question:created' | 'question:answered'; payload: unknown; audience: Audience };
type Listener = (e: CollabEvent) => void;

const listeners = new Set<Listener>();

export function onCollabEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishCollabEvent(e: CollabEvent): void {
  for (const l of listeners) {
    try { l(e); } catch { /* a subscriber's failure must not undo a committed change */ }
  }
}
