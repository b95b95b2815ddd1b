import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getDocument, listDocuments } from '@/lib/documents/service';
import { currentOrganization } from '@/lib/orgs/current-org';
import { listTerms } from '@/lib/terms/service';
import { CreateShareForm } from '@/components/shares/create-share-form';
import { toUtcInput } from '@/components/shares/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { queryValue, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

export const metadata: Metadata = { title: 'New share' };

const DAY = 86_400_000;
const LIBRARY_PAGE = 100;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NewSharePage({ searchParams }: Props) {
  const p = await consolePrincipal();
  // An empty value (?documentId=) preselects nothing; anything else must be an id.
  const documentId = queryValue((await searchParams).documentId);
  await requirePageIds(p, 'page /shares/new', { documentId });
  if (!can(p, 'shares:write')) return <Forbidden what="Creating shares is not part of your role." scope="shares:write" />;
  if (!can(p, 'documents:read')) return <Forbidden what="Sharing needs access to the document library." scope="documents:read" />;

  const res = await load(async () => {
    const [org, docs, terms, pre] = await Promise.all([
      currentOrganization(p),
      listDocuments(p, { take: LIBRARY_PAGE }),
      listTerms(p),
      // A stale or foreign id in the URL just means nothing is preselected.
      documentId ? getDocument(p, documentId).catch(() => null) : null,
    ]);
    return { org, docs, terms, pre };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { org, docs, terms, pre } = res.data;

  const now = Date.now();
  const documents = docs.items.map((d) => ({ id: d.id, title: d.title, fileName: d.latest?.fileName ?? null, tlp: d.latest?.tlp ?? null }));
  const preselected = pre ? [{ id: pre.id, title: pre.title, fileName: pre.versions[0]?.fileName ?? null, tlp: pre.versions[0]?.tlp ?? null }] : [];
  // Newest version of each set of terms: sharing under an older text is done from the share page.
  const termsOptions = terms.filter((t) => t.versions.length).map((t) => ({ id: t.versions[0].id, label: `${t.versions[0].title} (version ${t.versions[0].version})` }));

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/shares" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Shares</Link></nav>}
        title="New share"
        description="Share documents with someone outside your organisation through a link. Every access is logged, and you can revoke the link at any moment."
      />
      <CreateShareForm
        documents={documents}
        complete={!docs.nextCursor}
        ceiling={org.tlpCeiling}
        preselected={preselected}
        terms={termsOptions}
        expiry={{
          defaultValue: toUtcInput(new Date(now + org.defaultShareDays * DAY)),
          min: toUtcInput(new Date(now + 60_000)),
          max: toUtcInput(new Date(now + org.maxShareDays * DAY)),
          defaultDays: org.defaultShareDays,
          maxDays: org.maxShareDays,
        }}
      />
    </>
  );
}
