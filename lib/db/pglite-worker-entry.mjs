// Worker threads start plain Node, whatever loader the parent has (vitest, tsx or none): the TypeScript
// body is loaded through tsx's scoped import, which registers nothing process-wide.
import { tsImport } from 'tsx/esm/api';

await tsImport('./pglite-worker.ts', import.meta.url);
