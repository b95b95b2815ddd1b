// Every socket event handler, registered once when lib/realtime/server.ts loads this module. Each
// feature's handlers live in their own file; the event names are the public contract (docs/REALTIME.md).
import './session';
import './comments';
import './questions';
import './notes';
