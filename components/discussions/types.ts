import type { ActionResult } from '@/lib/http/action';

/** A comment as the console's discussion panels receive it (serialisable: times are ISO strings). */
export interface ConsoleComment {
  id: string;
  documentId: string;
  threadId: string;
  parentId: string | null;
  page: number | null;
  anchor: { kind: 'rect' | 'highlight'; x: number; y: number; w: number; h: number } | null;
  body: string;
  author: { id: string; name: string; kind: 'staff' | 'guest' };
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  grants: Array<{ key: string; label: string; keepPartiesApart: boolean }>;
  ip: string | null;
}

export interface ConsoleQuestion {
  id: string;
  documentId: string | null;
  documentTitle: string | null;
  body: string;
  asker: { id: string; name: string; kind: 'staff' | 'guest' };
  createdAt: string;
  answer: { body: string; by: string; at: string } | null;
  published: boolean;
  publishable: boolean;
  grants: Array<{ key: string; label: string; keepPartiesApart: boolean }>;
}

/** The server actions the panels call (passed in by the page: components do not import from app/). */
export interface DiscussionActions {
  comment(input: { documentId: string; body: string; parentId?: string; page?: number; grantKey?: string }): Promise<ActionResult<{ id: string }>>;
  setResolved(input: { commentId: string; resolved: boolean }): Promise<ActionResult<{ resolved: boolean }>>;
  answer(input: { questionId: string; answer: string; publish: boolean }): Promise<ActionResult<{ id: string }>>;
}
