/*
 * A guest's comment (with a script payload), an annotation and a question on a share, written through
 * the domain functions against the running e2e server's database (tests/e2e/server-data.ts), as a guest
 * of that share would through the socket layer. Prints one JSON line.
 */
import { connectDatabase } from '../../lib/db/connect';
import { prisma } from '../../lib/db/client';
import { createComment } from '../../lib/collab/comments';
import { askQuestion } from '../../lib/collab/questions';
import type { GuestCollabActor } from '../../lib/collab/types';

async function main() {
  await connectDatabase({ publish: false, reuseRunning: true });
  const shareId = process.argv[2];
  const share = await prisma().share.findUniqueOrThrow({ where: { id: shareId }, include: { documents: true } });
  const documentId = share.documents[0].documentId;
  await prisma().documentVersion.updateMany({ where: { documentId, pages: null }, data: { pages: 1 } });
  const guest = await prisma().guest.create({ data: { orgId: share.orgId, kind: 'EMAIL_VERIFIED', email: 'counsel@northgate-legal.example' } });
  const key = `share:${share.id}`;
  const actor: GuestCollabActor = {
    kind: 'guest', orgId: share.orgId, guestId: guest.id, sessionId: 'e2e-seed', name: guest.email!, email: guest.email, ip: '198.51.100.77',
    userAgent: 'e2e seed', shareId: share.id, portalId: null, grantKeys: [key], openGrantKeys: share.keepPartiesApart ? [] : [key], presenceGrantKeys: [],
  };
  const hostile = await createComment(actor, { documentId, body: '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Clause 4.2 conflicts with the indemnity.' });
  await createComment(actor, { documentId, page: 1, anchor: { kind: 'highlight', x: 0.08, y: 0.32, w: 0.7, h: 0.04 }, body: 'This figure does not match the schedule.' });
  const q = await askQuestion(actor, { documentId, body: 'Will the other bidders see our mark-up?' });
  console.log(JSON.stringify({ documentId, commentId: hostile.comment.id, questionId: q.question.id }));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
