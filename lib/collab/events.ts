import type { Audience } from './types';
import { emitToAudience } from '../realtime/emit';

/**
 * Changes made outside a socket (the console's server actions, GraphQL) still reach the sockets that may
 * see them: each event goes to its audience's rooms (lib/realtime/emit.ts), exactly as a socket
 * handler's ctx.emitTo would; without socket.io in the process (the CLI) that part does nothing.
 * Listeners (tests) are kept on globalThis: server actions run in Next's bundle, a separate module
 * instance from the one the server and the tests load.
 */
export type CollabEvent = { event: 'comment:created' | 'comment:resolved' | 'comment:reopened' | 'question:created' | 'question:answered'; payload: unknown; audience: Audience };
type Listener = (e: CollabEvent) => void;

const g = globalThis as unknown as { __liaisonCollabListeners?: Set<Listener> };
const listeners = (g.__liaisonCollabListeners ??= new Set<Listener>());

export function onCollabEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishCollabEvent(e: CollabEvent): void {
  emitToAudience(e.audience, e.event, e.payload);
  for (const l of listeners) {
    try { l(e); } catch { /* a subscriber's failure must not undo a committed change */ }
  }
}
