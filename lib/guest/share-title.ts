import { prisma, type Tx } from '../db/client';
import { loadShareFacts, shareWhat } from '../notifications/share-facts';

/** How mail names a share's contents: “Q3 report”, or “Q3 report and 2 more documents”. */
export async function shareTitle(shareId: string, db: Tx = prisma()): Promise<string> {
  const s = await loadShareFacts(db, shareId);
  return s ? shareWhat(s) : 'a share';
}
