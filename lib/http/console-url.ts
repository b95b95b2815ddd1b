/**
 * Request header proxy.ts sets on every page it handles: the path and query the browser asked for.
 * The console layout reads it to check the ids in the URL before anything streams (app/(console)/_shared/ids.ts).
 * proxy.ts always overwrites it, so it never carries a value the client sent.
 */
export const CONSOLE_URL_HEADER = 'x-liaison-url';
