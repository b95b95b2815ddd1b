'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { addDocumentsToSection, createPortalSection, deletePortalSection, movePortalSection, removeDocumentFromSection, renamePortalSection } from '@/lib/portals/sections';

// Every action answers with nothing but success: the page reloads the sections from the server.
const done = <T>(r: { ok: boolean } & T) => { if (r.ok) revalidatePath('/portals', 'layout'); return r; };

const create = staffAction(z.object({ portalId: idSchema, name: z.string().max(500) }), async (p, i) => { await createPortalSection(p, i.portalId, i.name); return null; },
  { where: 'action createPortalSection', ids: (i) => ({ portalId: i.portalId }) });
export const createSectionAction = async (portalId: string, name: string) => done(await create({ portalId, name }));

const rename = staffAction(z.object({ sectionId: idSchema, name: z.string().max(500) }), async (p, i) => { await renamePortalSection(p, i.sectionId, i.name); return null; },
  { where: 'action renamePortalSection', ids: (i) => ({ sectionId: i.sectionId }) });
export const renameSectionAction = async (sectionId: string, name: string) => done(await rename({ sectionId, name }));

const move = staffAction(z.object({ sectionId: idSchema, direction: z.enum(['up', 'down']) }), async (p, i) => { await movePortalSection(p, i.sectionId, i.direction); return null; },
  { where: 'action movePortalSection', ids: (i) => ({ sectionId: i.sectionId }) });
export const moveSectionAction = async (sectionId: string, direction: 'up' | 'down') => done(await move({ sectionId, direction }));

const remove = staffAction(z.object({ sectionId: idSchema }), async (p, i) => { await deletePortalSection(p, i.sectionId); return null; },
  { where: 'action deletePortalSection', ids: (i) => ({ sectionId: i.sectionId }) });
export const deleteSectionAction = async (sectionId: string) => done(await remove({ sectionId }));

const add = staffAction(z.object({ sectionId: idSchema, documentIds: z.array(idSchema).max(200) }), async (p, i) => { await addDocumentsToSection(p, i.sectionId, i.documentIds); return null; },
  { where: 'action addDocumentsToSection', ids: (i) => ({ sectionId: i.sectionId, documentIds: i.documentIds }) });
export const addDocumentsAction = async (sectionId: string, documentIds: string[]) => done(await add({ sectionId, documentIds }));

const unlink = staffAction(z.object({ sectionId: idSchema, documentId: idSchema }), async (p, i) => { await removeDocumentFromSection(p, i.sectionId, i.documentId); return null; },
  { where: 'action removeDocumentFromSection', ids: (i) => ({ sectionId: i.sectionId, documentId: i.documentId }) });
export const removeDocumentAction = async (sectionId: string, documentId: string) => done(await unlink({ sectionId, documentId }));
