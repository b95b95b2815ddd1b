/*
 * Seeds the edit-permission e2e on the running server's database through the real domain code, in a
 * child process (Playwright's loader cannot import Prisma), like seed-devices.ts. Prints JSON.
 *   tsx tests/e2e/seed-editing.ts share <title>           → a PDF shared with EDIT: {documentId, shareId, link}
 *   tsx tests/e2e/seed-editing.ts notes <shareId> <guestId> → two edits of the share's note, guest then staff
 */
import fs from 'node:fs';
import * as Y from 'yjs';
import { E2E_PORT, E2E_USERS, serverStateFile } from './env';
import { tinyPdf } from '../helpers/tiny-pdf';

async function main() {
  const [what, ...args] = process.argv.slice(2);
  const state = JSON.parse(fs.readFileSync(serverStateFile(E2E_PORT), 'utf8')) as { dataDir: string; databaseUrl: string | null };
  process.env.LIAISON_DATA_DIR = state.dataDir;
  if (state.databaseUrl) process.env.DATABASE_URL = state.databaseUrl;
  const [{ connectDatabase }, { prisma, disconnect }, { createDocument }, { createShare }, { applyNoteUpdate, NOTE_TEXT }, { ROLE_SCOPES }, { Readable }] = await Promise.all([
    import('../../lib/db/connect'), import('../../lib/db/client'), import('../../lib/documents/service'), import('../../lib/shares/service'),
    import('../../lib/collab/notes'), import('../../lib/auth/scopes'), import('node:stream'),
  ]);
  await connectDatabase({ publish: false, reuseRunning: true });
  try {
    const admin = await prisma().staffUser.findUniqueOrThrow({ where: { email: E2E_USERS.admin.email } });
    const principal = { kind: 'staff' as const, orgId: admin.orgId, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES[admin.role]), request: { ip: '198.51.100.60', userAgent: 'e2e seed' } };
    if (what === 'share') {
      const doc = await createDocument(principal, { stream: Readable.from([tinyPdf('Master services agreement')]), fileName: 'msa.pdf', mediaType: 'application/pdf' }, { title: args[0], tlp: 'AMBER' }, 1e7);
      const s = await createShare(principal, { documentIds: [doc.id], permission: 'EDIT' } as never);
      console.log(JSON.stringify({ documentId: doc.id, shareId: s.share.id, link: s.url }));
    } else if (what === 'notes') {
      const [shareId, guestId] = args;
      const guest = await prisma().guest.findUniqueOrThrow({ where: { id: guestId } });
      const key = `share:${shareId}`;
      const doc = new Y.Doc();
      const edit = (fn: (t: Y.Text) => void) => { const sv = Y.encodeStateVector(doc); fn(doc.getText(NOTE_TEXT)); return Y.encodeStateAsUpdate(doc, sv); };
      await applyNoteUpdate({
        kind: 'guest', orgId: guest.orgId, guestId, sessionId: 'e2e', name: guest.email ?? `link ${shareId}`, email: guest.email, ip: '198.51.100.61', userAgent: 'e2e seed',
        shareId, portalId: null, grantKeys: [key], openGrantKeys: [key], presenceGrantKeys: [],
      }, null, edit((t) => t.insert(0, 'Clause 4: we propose to strike the indemnity.')));
      await applyNoteUpdate({ kind: 'staff', orgId: admin.orgId, staffId: admin.id, name: admin.name, ip: '198.51.100.60', userAgent: 'e2e seed' }, key,
        edit((t) => t.insert(t.length, '\nAgreed, subject to a liability cap of <script>alert(1)</script> EUR 2m.')));
      console.log(JSON.stringify({ ok: true }));
    }
  } finally {
    await disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
