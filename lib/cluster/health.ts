import { throttleFallbackStats } from '../auth/throttle';
import { busStats } from './invalidation';

/**
 * What /api/health adds when REDIS_URL is set: whether the invalidation channel is live (Redis
 * reachable and subscribed) and how often shared rate limits fell back to per-instance counting.
 * Redis down is not unhealthy: the instance keeps serving, with caches off (docs/SCALING.md).
 */
export function clusterHealth(): { redis?: 'ok' | 'unavailable'; rateLimitFallbacks?: number } {
  const bus = busStats();
  if (!bus.redis) return {};
  return { redis: bus.live ? 'ok' : 'unavailable', rateLimitFallbacks: throttleFallbackStats().fallbacks };
}
