import type { Server } from 'socket.io';
import type { Audience } from '../collab/types';
import { audienceRooms } from './rooms';

// The same global that lib/realtime/server.ts sets; read without importing the server, so console
// server actions and GraphQL resolvers (in Next's bundles) can emit without an import cycle.
const g = globalThis as unknown as { __liaisonIo?: Server };

/**
 * Sends a collaboration event to every socket allowed to see an item with this audience, on every
 * instance: for changes made outside a socket (a staff answer in the console or over GraphQL, an
 * accepted proposal). Does nothing when socket.io is not running in this process (CLI, tests).
 */
export function emitToAudience(audience: Audience, event: string, payload: unknown): void {
  g.__liaisonIo?.to(audienceRooms(audience)).emit(event, payload);
}
