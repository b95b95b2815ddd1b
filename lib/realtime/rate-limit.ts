import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Events per socket: a burst of 20 in one second, then the socket is closed. Kept in this process: a
 * socket lives on one instance, and the limit is about one connection flooding, not a person (the
 * handshake itself goes through the guest and staff paths' own limits). Consumed before any work.
 */
export const EVENTS_PER_SECOND = 20;
const limiter = new RateLimiterMemory({ keyPrefix: 'socket-events', points: EVENTS_PER_SECOND, duration: 1 });

/** Resolves when the socket may send this event; rejects when it is over its limit. */
export const consumeEvent = (socketId: string) => limiter.consume(socketId, 1);
