import { deleteDocument, getDocument, listDocuments } from '../../documents/service';
import type { Tlp as TlpValue } from '../../generated/prisma/enums';
import { builder } from '../builder';
import { connectionType, decodeIdCursor, encodeIdCursor, pageArgs, pageComplexity, pageSize } from '../connection';
import { DateTime } from './scalars';
import { Tlp } from './enums';
import { StaffRef } from './staff-ref';

interface VersionView {
  id: string; number: number; sha256: string; size: bigint; mediaType: string; fileName: string;
  tlp: TlpValue; pages: number | null; createdAt: Date; createdBy?: { email: string } | null;
}

/** listDocuments and getDocument load different shapes; both become this one. */
interface DocumentView {
  id: string; title: string; createdAt: Date; updatedAt: Date;
  createdBy: { email: string; name: string } | null;
  latest: VersionView | null; versionCount: number; shareCount: number;
  versions: VersionView[] | null; // null until loaded
}

type Listed = Awaited<ReturnType<typeof listDocuments>>['items'][number];
type Full = Awaited<ReturnType<typeof getDocument>>;

const fromListed = (d: Listed): DocumentView => ({
  id: d.id, title: d.title, createdAt: d.createdAt, updatedAt: d.updatedAt, createdBy: d.createdBy,
  latest: d.latest, versionCount: d.versionCount, shareCount: d.shareCount, versions: null,
});
const fromFull = (d: Full): DocumentView => ({
  id: d.id, title: d.title, createdAt: d.createdAt, updatedAt: d.updatedAt, createdBy: d.createdBy,
  latest: d.versions[0] ?? null, versionCount: d.versions.length, shareCount: d._count.shares, versions: d.versions,
});

export const DocumentVersion = builder.objectRef<VersionView>('DocumentVersion').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number', { description: '1 for the first upload, then 2, 3...' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the file as uploaded, hex.' }),
    // Float, not Int (32-bit) or a string scalar: sizes are bounded by the upload limit, far below
    // 2^53, so a double is exact and every client reads it as a plain number.
    size: t.float({ description: 'File size in bytes.', resolve: (v) => Number(v.size) }),
    mediaType: t.exposeString('mediaType'),
    fileName: t.exposeString('fileName'),
    tlp: t.field({ type: Tlp, resolve: (v) => v.tlp }),
    pages: t.exposeInt('pages', { nullable: true }),
    createdAt: t.field({ type: DateTime, resolve: (v) => v.createdAt }),
    createdBy: t.field({ type: StaffRef, nullable: true, resolve: (v) => v.createdBy ?? null }),
  }),
});

export const Document = builder.objectRef<DocumentView>('Document').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    createdAt: t.field({ type: DateTime, resolve: (d) => d.createdAt }),
    updatedAt: t.field({ type: DateTime, resolve: (d) => d.updatedAt }),
    createdBy: t.field({ type: StaffRef, nullable: true, resolve: (d) => d.createdBy }),
    latestVersion: t.field({ type: DocumentVersion, nullable: true, resolve: (d) => d.latest }),
    tlp: t.field({ type: Tlp, nullable: true, description: "The latest version's marking.", resolve: (d) => d.latest?.tlp ?? null }),
    versionCount: t.exposeInt('versionCount'),
    shareCount: t.exposeInt('shareCount'),
    versions: t.field({
      type: [DocumentVersion],
      description: 'Newest first.',
      // A listed document loads its versions on demand (one query per document asking for them).
      resolve: async (d, _a, ctx) => d.versions ?? (await getDocument(ctx.principal, d.id)).versions,
    }),
  }),
});

const DocumentConnection = connectionType('Document', Document);

builder.queryFields((t) => ({
  documents: t.field({
    type: DocumentConnection,
    description: 'Documents of your organisation, newest first. `q` searches titles and file names.',
    authScopes: { 'documents:read': true },
    args: {
      q: t.arg.string({ required: false }),
      tlp: t.arg({ type: Tlp, required: false, description: 'Documents with any version so marked.' }),
      ...pageArgs(t.arg, 100),
    },
    complexity: pageComplexity(25, 100),
    resolve: async (_r, a, ctx) => {
      const page = await listDocuments(ctx.principal, {
        q: a.q ?? undefined, tlp: a.tlp ?? undefined, take: pageSize(a.first, 100), cursor: decodeIdCursor('document', a.after),
      });
      return { nodes: page.items.map(fromListed), hasNextPage: page.nextCursor !== null, cursorOf: (d) => encodeIdCursor('document', d.id) };
    },
  }),
  document: t.field({
    type: Document,
    description: 'One document with its versions. not_found when it is not in your organisation.',
    authScopes: { 'documents:read': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => fromFull(await getDocument(ctx.principal, a.id)),
  }),
}));

builder.mutationFields((t) => ({
  deleteDocument: t.id({
    description: 'Deletes a document, its versions and their files, and returns its id. The audit trail keeps the record.',
    authScopes: { 'documents:write': true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => (await deleteDocument(ctx.principal, a.id)).id,
  }),
}));
