import { AA_NORMAL_TEXT, type ContrastPair } from '@/lib/portals/contrast';
import { Icon } from '../ui/icons';

/** The two colour pairs with their ratios, announced politely as staff pick colours. */
export function ContrastCheck({ pairs }: { pairs: ContrastPair[] }) {
  return (
    <ul role="list" aria-live="polite" className="space-y-1.5" data-testid="contrast-check">
      {pairs.map((c) => (
        <li key={c.pair} className={`flex items-start gap-2 rounded-md px-3 py-2 text-xs ring-1 ring-inset ${c.passes ? 'bg-emerald-50 text-emerald-900 ring-emerald-200' : 'bg-red-50 text-red-900 ring-red-200'}`}>
          <Icon name={c.passes ? 'check' : 'alert'} className={`mt-px size-3.5 shrink-0 ${c.passes ? 'text-emerald-600' : 'text-red-600'}`} />
          <span className="min-w-0">
            <span className="font-medium">{c.label}: </span>
            <span className="tabular">{c.ratio.toFixed(2)}:1</span>
            {c.passes ? ' passes WCAG AA.' : ` is below the ${AA_NORMAL_TEXT}:1 WCAG AA asks for text. Choose a darker colour.`}
          </span>
        </li>
      ))}
    </ul>
  );
}
