import type { ActionResult } from '@/lib/http/action';

/** What the staff pages hand their client components: server actions, passed as props. */
export type Act<I, R> = (input: I) => Promise<ActionResult<R>>;

export interface IssuedPasswordResult { user: { id: string; name: string; email: string }; oneTimePassword: string }
