/**
 * Reads a mailbox of the local mail server from a terminal: `npm run mail -- maria.ionescu@gmail.test` lists its
 * messages (date, sender, subject) and prints the newest one's text, decoded. `--all` prints every message's text,
 * `--folder Processed` reads another folder. The local server takes any password; this is a demo and test tool,
 * it never talks to a real mailbox.
 */
import { simpleParser } from 'mailparser';
import { loadConfig } from '../server/config.ts';
import { imapClient } from '../server/mail/imap.ts';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npm run mail -- <address> [--all] [--folder <name>]');
  process.exit(2);
}

const args = process.argv.slice(2);
const address = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--folder');
if (!address || !address.includes('@')) usage('Give the e-mail address whose mailbox to read.');
const all = args.includes('--all');
const folder = args.includes('--folder') ? args[args.indexOf('--folder') + 1] : 'INBOX';
if (!folder) usage('--folder needs a folder name.');

const config = loadConfig();
const client = await imapClient({
  host: '127.0.0.1',
  port: config.embeddedPorts.imap,
  secure: false,
  user: address,
  pass: 'demo',
});
try {
  await client.connect();
} catch {
  console.error(
    `The local mail server does not answer on 127.0.0.1:${config.embeddedPorts.imap}: start the system with npm start first.`,
  );
  process.exit(1);
}
try {
  const lock = await client.getMailboxLock(folder).catch(() => null);
  if (!lock) {
    console.log(`${address}: no folder "${folder}" (no mail has arrived yet).`);
  } else {
    try {
      const sources: Buffer[] = [];
      if (client.mailbox && client.mailbox.exists > 0)
        for await (const msg of client.fetch('1:*', { source: true }))
          if (msg.source) sources.push(msg.source);
      console.log(`${address} · ${folder}: ${sources.length} message${sources.length === 1 ? '' : 's'}`);
      const parsed = await Promise.all(sources.map((s) => simpleParser(s)));
      parsed.forEach((m, i) => {
        const date = m.date?.toLocaleString('ro-RO', { timeZone: 'Europe/Bucharest' }) ?? '';
        console.log(`  ${String(i + 1).padStart(3)}  ${date}  ${m.from?.text ?? ''}  ${m.subject ?? ''}`);
      });
      const shown = all ? parsed : parsed.slice(-1);
      for (const m of shown) {
        console.log(`\n--- ${m.subject ?? '(fără subiect)'}\n`);
        console.log((m.text ?? '').trim());
      }
    } finally {
      lock.release();
    }
  }
} finally {
  await client.logout().catch(() => client.close());
}
