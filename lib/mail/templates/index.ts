import { accessRevoked, type AccessRevokedData } from './access-revoked';
import { approvalRequested, type ApprovalRequestedData } from './approval-requested';
import { alertRaised, type AlertRaisedData } from './alert-raised';
import { emailCode, type EmailCodeData } from './email-code';
import { guestExpiryReminder, shareExpiryReminder, type GuestExpiryReminderData, type ShareExpiryReminderData } from './expiry';
import { firstAccess, type FirstAccessData } from './first-access';
import { invitation, type InvitationData } from './invitation';
import { portalAccess, type PortalAccessData } from './portal-access';
import { questionAsked, type QuestionAskedData } from './question-asked';
import { proposalSubmitted, type ProposalSubmittedData } from './proposal-submitted';
import type { MailTemplate } from './content';
import { accessReviewNotice, accessReviewReminder, type AccessReviewNoticeData, type AccessReviewReminderData } from './access-review';

/** Every mail Liaison sends, by name, with the data each one needs (what enqueueMail type-checks). */
export interface MailTemplateData {
  email_code: EmailCodeData;
  invitation: InvitationData;
  first_access: FirstAccessData;
  share_expiry_reminder: ShareExpiryReminderData;
  guest_expiry_reminder: GuestExpiryReminderData;
  access_revoked: AccessRevokedData;
  portal_access: PortalAccessData;
  question_asked: QuestionAskedData;
  proposal_submitted: ProposalSubmittedData;
  approval_requested: ApprovalRequestedData;
  alert_raised: AlertRaisedData;
  access_review_notice: AccessReviewNoticeData;
  access_review_reminder: AccessReviewReminderData;
}

export type MailTemplateName = keyof MailTemplateData;

export const MAIL_TEMPLATES: { [K in MailTemplateName]: MailTemplate<any> } = {
  email_code: emailCode,
  invitation,
  first_access: firstAccess,
  share_expiry_reminder: shareExpiryReminder,
  guest_expiry_reminder: guestExpiryReminder,
  access_revoked: accessRevoked,
  portal_access: portalAccess,
  question_asked: questionAsked,
  proposal_submitted: proposalSubmitted,
  approval_requested: approvalRequested,
  alert_raised: alertRaised,
  access_review_notice: accessReviewNotice,
  access_review_reminder: accessReviewReminder,
};

export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATES) as MailTemplateName[];

export const isMailTemplateName = (v: unknown): v is MailTemplateName => typeof v === 'string' && v in MAIL_TEMPLATES;

export const templateLabel = (name: string) => (isMailTemplateName(name) ? MAIL_TEMPLATES[name].label : name);

export type { AccessReviewNoticeData, AccessReviewReminderData, AccessRevokedData, AlertRaisedData, ApprovalRequestedData, EmailCodeData, FirstAccessData, GuestExpiryReminderData, InvitationData, PortalAccessData, ProposalSubmittedData, QuestionAskedData, ShareExpiryReminderData };
