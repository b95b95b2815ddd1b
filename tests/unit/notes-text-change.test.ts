import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { textChange } from '../../components/collab/text-change';

/** Applies what the notes editor would send for a textarea change. */
function apply(t: Y.Text, next: string) {
  const c = textChange(t.toString(), next);
  if (!c) return;
  t.doc!.transact(() => {
    if (c.remove) t.delete(c.index, c.remove);
    if (c.insert) t.insert(c.index, c.insert);
  });
}

describe('the notes editor turns a textarea change into one Y.Text edit', () => {
  it('typing, deleting, replacing a selection and pasting are each one minimal edit', () => {
    expect(textChange('abc', 'abc')).toBeNull();
    expect(textChange('Clause 4', 'Clause 45')).toEqual({ index: 8, remove: 0, insert: '5' });
    expect(textChange('Clause 45', 'Clause 4')).toEqual({ index: 8, remove: 1, insert: '' });
    expect(textChange('strike the cap', 'strike the indemnity cap')).toEqual({ index: 11, remove: 0, insert: 'indemnity ' });
    expect(textChange('pay 10 days', 'pay 30 days')).toEqual({ index: 4, remove: 1, insert: '3' });
    expect(textChange('aaa', 'aaaa')).toEqual({ index: 3, remove: 0, insert: 'a' });
    expect(textChange('', 'hello')).toEqual({ index: 0, remove: 0, insert: 'hello' });
  });

  it('never splits an emoji (a surrogate pair)', () => {
    const c = textChange('a😀b', 'a😃b')!;
    expect(c.insert).toBe('😃');
    expect('a😀b'.slice(c.index, c.index + c.remove)).toBe('😀');
  });

  it("two editors' concurrent changes both survive the merge", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('notes').insert(0, 'Clause 4: strike the indemnity.');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    apply(a.getText('notes'), 'Clause 4: strike the indemnity. Agreed.');
    apply(b.getText('notes'), 'Clause 4 (draft): strike the indemnity.');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('notes').toString()).toBe('Clause 4 (draft): strike the indemnity. Agreed.');
    expect(b.getText('notes').toString()).toBe(a.getText('notes').toString());
  });
});
