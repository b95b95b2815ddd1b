'use server';

import { z } from 'zod';
import { deleteDocument } from '@/lib/documents/service';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';

const remove = staffAction(z.object({ id: idSchema }), (p, { id }) => deleteDocument(p, id), {
  where: 'action deleteDocument', ids: (i) => ({ documentId: i.id }),
});

// The client navigates to the list afterwards. A redirect() here would make Next re-fetch the target
// page through the server's configured origin, which a custom server does not set.
export async function deleteDocumentAction(input: { id: string }) {
  return remove(input);
}
