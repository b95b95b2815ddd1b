import type { Server, Socket } from 'socket.io';
import type { Action } from '../policy';
import type { Audience, CollabActor } from '../collab/types';

/**
 * The seam between the socket layer (lib/realtime/server.ts, which authenticates, rate-limits and maps
 * errors) and the features that answer events (lib/realtime/handlers/*). A handler parses its payload
 * with zod, asks ctx.authorize for the action (the policy function decides, every event), calls one
 * function in lib/, emits through ctx, and returns the acknowledgement's fields. A thrown AppError
 * becomes `{error: code}`; the socket layer closes the socket when the reason means access has ended.
 */
export interface SocketContext {
  socket: Socket;
  io: Server;
  /**
   * Asks the policy whether this socket's principal may do `action` (on `documentId` when given) now,
   * with live facts; returns the actor to pass to lib/ or throws the refusal (audited) as an AppError.
   * Staff are checked against their organisation and scopes.
   */
  authorize(action: Action, documentId?: string | null): Promise<CollabActor>;
  /** Emits to every socket that may see an event with this audience (lib/realtime/rooms.ts), on every instance. */
  emitTo(audience: Audience, event: string, payload: unknown): void;
}

export type EventHandler = (ctx: SocketContext, payload: unknown) => Promise<Record<string, unknown>>;

const handlers = new Map<string, EventHandler>();

/** Registers the handler of a client → server event. Names are fixed in docs/REALTIME.md. */
export function onEvent(event: string, handler: EventHandler): void {
  if (handlers.has(event)) throw new Error(`socket event ${event} is registered twice`);
  handlers.set(event, handler);
}

export const eventHandler = (event: string): EventHandler | undefined => handlers.get(event);
export const registeredEvents = (): string[] => [...handlers.keys()];
