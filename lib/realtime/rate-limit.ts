import { RateLimiterMemory } from 'rate-limiter-flexible';
import { failureLimiter } from '../auth/throttle';

/**
 * Events per socket: a burst of 20 in one second, then the socket is closed. Kept in this process: a
 * socket lives on one instance, and the limit is about one connection flooding, not a person (the
 * handshake itself goes through the guest and staff paths' own limits). Consumed before any work.
 */
export const EVENTS_PER_SECOND = 20;
const limiter = new RateLimiterMemory({ keyPrefix: 'socket-events', points: EVENTS_PER_SECOND, duration: 1 });

/** Resolves when the socket may send this event; rejects when it is over its limit. */
export const consumeEvent = (socketId: string) => limiter.consume(socketId, 1);

/**
 * Refused handshakes per client address: 30 a minute, then the address is refused (rate_limited) for a
 * minute before any token is looked at. Counts failures only, so many legitimate sockets from one office
 * are not limited; shared through Redis when REDIS_URL is set.
 */
export const handshakeFailures = () => failureLimiter('socket-handshake-fail', 30, 60);
