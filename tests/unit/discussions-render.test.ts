import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ThreadList } from '../../components/discussions/thread-list';
import { QuestionList } from '../../components/discussions/question-list';
import { placeLabel } from '../../components/discussions/format';
import type { ConsoleComment, ConsoleQuestion, DiscussionActions } from '../../components/discussions/types';

const SCRIPT = '<script>alert("owned")</script><img src=x onerror=alert(1)>';
const never = async () => { throw new Error('not called'); };
const actions: DiscussionActions = { comment: never, setResolved: never, answer: never };

const comment = (over: Partial<ConsoleComment>): ConsoleComment => ({
  id: 'c1', documentId: 'd1', threadId: 'c1', parentId: null, page: 2, anchor: { kind: 'rect', x: 0.1, y: 0.25, w: 0.5, h: 0.1 },
  body: SCRIPT, author: { id: 'guest:g1', name: '<b>Mallory</b>', kind: 'guest' }, createdAt: '2026-12-02T09:30:00.000Z',
  resolvedAt: null, resolvedBy: null, grants: [{ key: 'share:s1', label: 'Share to a@b.example', keepPartiesApart: true }], ip: '198.51.100.7', ...over,
});

describe('console discussions render users\' text as text', () => {
  it('a comment body, an author name and a reply with markup come out escaped, never as elements', () => {
    const html = renderToStaticMarkup(createElement(ThreadList, {
      comments: [comment({}), comment({ id: 'c2', parentId: 'c1', threadId: 'c1', body: 'reply <script>x()</script>', grants: [], anchor: null, page: null })],
      canWrite: false, actions,
    }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>Mallory</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
    expect(html).toContain('reply &lt;script&gt;x()&lt;/script&gt;');
    expect(html).toContain('Page 2 · region at 10%, 25% (50% × 10%)');
    expect(html).toContain('Share to a@b.example · apart');
  });

  it('a question and its answer come out escaped; a staff-only thread is labelled', () => {
    const q: ConsoleQuestion = {
      id: 'q1', documentId: 'd1', documentTitle: 'Deal <i>memo</i>', body: SCRIPT, asker: { id: 'guest:g1', name: 'g@x.example', kind: 'guest' },
      createdAt: '2026-12-02T09:30:00.000Z', answer: { body: '</p><script>evil()</script>', by: 'Sam', at: '2026-12-02T10:00:00.000Z' },
      published: false, publishable: false, grants: [],
    };
    const html = renderToStaticMarkup(createElement(QuestionList, { questions: [q], canWrite: false, actions, showDocument: true }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<i>memo</i>');
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;');
    const staffOnly = renderToStaticMarkup(createElement(ThreadList, { comments: [comment({ grants: [], body: 'internal' })], canWrite: false, actions }));
    expect(staffOnly).toContain('Staff only');
  });

  it('places: whole document, a page, a highlight', () => {
    expect(placeLabel({ page: null, anchor: null })).toBe('Whole document');
    expect(placeLabel({ page: 4, anchor: null })).toBe('Page 4');
    expect(placeLabel({ page: 1, anchor: { kind: 'highlight', x: 0, y: 0.5, w: 1, h: 0.02 } })).toBe('Page 1 · highlight at 0%, 50% (100% × 2%)');
  });
});
