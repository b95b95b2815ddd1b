'use client';

import { useId, useState } from 'react';
import { select } from '../../ui/styles';
import { ChartCard, NoData } from './chart-card';
import { PageTimeChart } from './charts';
import { ChartDataTable } from './data-table';
import { formatCount, formatDuration } from './format';

export interface PageTimeDocument { documentId: string; title: string; totalDwellMs: number; pages: { page: number; dwellMs: number; views: number }[] }

/** Time per page for one document at a time, chosen from those read in the range. */
export function PageTimePanel({ documents }: { documents: PageTimeDocument[] }) {
  const read = documents.filter((d) => d.pages.length);
  const [chosen, setChosen] = useState(read[0]?.documentId ?? '');
  const selectId = useId();
  const doc = read.find((d) => d.documentId === chosen) ?? read[0];
  const readers = doc ? Math.max(...doc.pages.map((p) => p.views)) : 0;
  return (
    <ChartCard id="page-time-title" title="Time per page"
      description={doc ? `${doc.title}: ${formatDuration(doc.totalDwellMs)} of reading in all. Each gap between two page turns counts at most 5 minutes.` : 'How long guests stayed on each page of a document.'}
      actions={read.length > 1 ? (
        <div className="flex items-center gap-2">
          <label htmlFor={selectId} className="text-xs font-medium text-slate-600">Document</label>
          <select id={selectId} value={doc?.documentId} onChange={(e) => setChosen(e.target.value)} className={`${select} w-64 py-1.5`} data-testid="page-time-document">
            {read.map((d) => <option key={d.documentId} value={d.documentId}>{d.title}</option>)}
          </select>
        </div>
      ) : null}
      table={doc ? (
        <ChartDataTable caption={`Time per page of ${doc.title}`} testId="page-time-table"
          columns={[{ label: 'Page' }, { label: 'Time on page', numeric: true }, { label: 'Readers', numeric: true }, { label: 'Average per reader', numeric: true }]}
          rows={doc.pages.map((p) => [p.page, formatDuration(p.dwellMs), formatCount(p.views), formatDuration(p.views ? p.dwellMs / p.views : 0)])} />
      ) : null}>
      {doc ? (
        <PageTimeChart data={doc.pages}
          label={`Bar chart of time per page for ${doc.title}: ${doc.pages.length} pages read by up to ${readers} ${readers === 1 ? 'session' : 'sessions'}, ${formatDuration(doc.totalDwellMs)} in all.`} />
      ) : <NoData className="h-72">No pages were read in the viewer in this period.</NoData>}
    </ChartCard>
  );
}
