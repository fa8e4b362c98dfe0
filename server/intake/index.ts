/**
 * The intake module's public face (.dependency-cruiser.cjs): every channel ends in one registerComplaint (the call
 * center, the portal, the e-mail intake, a contestation), the quarantine of mail that could not be taken, and the
 * tenant's mailbox settings.
 */
export {
  registerComplaint,
  type RegisterComplaintInput,
  type RegisterDeps,
  type RegisteredComplaint,
  type RegisterOptions,
} from './register-complaint.ts';
export { contestAnswer, CONTEST_CATEGORY, type ContestInput } from './contest.service.ts';
export { createCallCenterService, type PhoneComplaint } from './call-center.service.ts';
export {
  createQuarantineService,
  registerQuarantinedAsGdprRequest,
  type QuarantineService,
  type QuarantineStatus,
} from './quarantine.service.ts';
export {
  checkMailboxSettings,
  mailboxSettings,
  saveMailboxSettings,
  type MailboxDeps,
  type MailboxInput,
  type MailboxSettings,
} from './mailbox-settings.service.ts';
export { anonymiseReceivedOfCase, inlineLease, recordInboundMessage } from './inbound-messages.ts';
export { correlateInbound } from './mail/correlation.ts';
export {
  processInboundMail,
  type IncomingMail,
  type IntakeDeps,
  type IntakeTenant,
  type ProcessOutcome,
} from './mail/process-message.ts';
export {
  mailboxFromUrl,
  startMailIntake,
  type MailIntake,
  type MailIntakeOptions,
} from './mail/start-intake.ts';
export { createMailboxLeases, type MailboxLeases } from './mail/mailbox-lease.ts';
