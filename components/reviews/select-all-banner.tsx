import { button } from '../ui/styles';

/**
 * Gmail's "select all N matching": once every row of the page is picked, offers to act on every grant
 * the filters match (found again on the server), or to go back to the page's rows; beyond the cap it
 * says why it cannot.
 */
export function SelectAllBanner({ pageCount, total, cap, allMatching, onChange }: {
  pageCount: number; total: number; cap: number; allMatching: boolean; onChange: (all: boolean) => void;
}) {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    <div role="status" data-testid="select-all-banner" className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 border-b border-indigo-100 bg-indigo-50 px-4 py-2 text-sm text-indigo-950">
      {allMatching ? (
        <>
          <span>All <strong>{n(total)}</strong> grants matching these filters are selected.</span>
          <button type="button" className={button('ghost', 'sm')} onClick={() => onChange(false)}>Select only the {n(pageCount)} on this page</button>
        </>
      ) : total > cap ? (
        <span>All {n(pageCount)} grants on this page are selected. {n(total)} grants match these filters: one action covers at most {n(cap)}, so narrow the filters to act on all of them.</span>
      ) : (
        <>
          <span>All {n(pageCount)} grants on this page are selected.</span>
          <button type="button" className={button('ghost', 'sm')} onClick={() => onChange(true)} data-testid="select-all-matching">Select all {n(total)} grants matching these filters</button>
        </>
      )}
    </div>
  );
}
