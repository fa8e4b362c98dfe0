/**
 * How what we send reaches the consumer (issue 14 item 4: the one definition). A letter (acknowledgement, answer,
 * extension or filing notice, completion request, GDPR letter) goes by e-mail when the case or request has an
 * e-mail address, else by post through the postal dispatch register. An answer counts as communicated by e-mail
 * (SMTP accepted it), by post (its dispatch was recorded) or through the portal (the consumer downloaded it).
 */

export const deliveryChannels = ['email', 'post'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

export const communicationChannels = ['email', 'post', 'portal'] as const;
export type CommunicationChannel = (typeof communicationChannels)[number];

/** E-mail when there is an address to write to, else post. */
export function deliveryChannel(to: { contactEmail: string | null | undefined }): DeliveryChannel {
  return to.contactEmail ? 'email' : 'post';
}
