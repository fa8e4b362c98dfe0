import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Our own Message-ID, so replies and bounces can be matched back to the case. */
  messageId: string;
  headers?: Record<string, string>;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** SMTP through nodemailer. `smtpUrl` like smtp://user:pass@host:587 or smtp://127.0.0.1:2525 for the local server. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
        // Marks our mail as automatic, so auto-replies do not answer it and our intake ignores loops.
        headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
      });
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
