'use server';

import { z } from 'zod';
import { deleteDocument } from '@/lib/documents/service';
import { staffAction } from '@/lib/http/action';

const remove = staffAction(z.object({ id: z.string().min(1).max(64) }), (p, { id }) => deleteDocument(p, id));

// The client navigates to the list afterwards. A redirect() here would make Next re-fetch the target
// page through the server's configured origin, which a custom server does not set.
export async function deleteDocumentAction(input: { id: string }) {
  return remove(input);
}
