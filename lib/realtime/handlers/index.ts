// Each feature registers its socket events on import (lib/realtime/registry.ts): one line per file.
import './notes';
