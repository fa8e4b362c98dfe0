/**
 * Consumer portal benchmark: logins with a one-time code (ask for the code, the mail goes out over real SMTP,
 * enter it) and complaints with a photo (multipart, content sniffing, content-addressed storage, the one
 * registration, the process start), each through the HTTP API with C concurrent consumers.
 *
 *   npx tsx bench/portal.ts --logins 50 --n 200 --c 8 --kb 500
 *
 * Self-contained like the other benchmarks (bench/stack.ts). Workers are not running.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../server/app.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { createMailer, type Mailer } from '../server/mail/mailer.ts';
import { startBenchStack } from './stack.ts';
import { arg, runConcurrent } from './measure.ts';

const LOGINS = arg('logins', 50);
const N = arg('n', 200);
const C = arg('c', 8);
const KB = arg('kb', 500);
const quiet = { info() {}, warn() {}, error() {} };

async function main() {
  const stack = await startBenchStack();
  // The real SMTP server receives every code; the benchmark also keeps the last code per address to enter it.
  const smtp = createMailer(stack.infra.smtpUrl, 'Reclamații <noreply@reclamatii.local>');
  const codes = new Map<string, string>();
  const mailer: Mailer = {
    async send(mail) {
      const code = /(\d{6})$/.exec(mail.subject)?.[1];
      if (code) codes.set(mail.to, code);
      return smtp.send(mail);
    },
    close: () => smtp.close(),
  };
  const app = await buildApp({
    config: stack.config,
    db: stack.db,
    engine: stack.engine,
    secret: stack.infra.secret,
    instructions: await loadInstructions(),
    log: quiet,
    mailer,
  });
  await app.ready();

  const tokens: string[] = [];
  await runConcurrent(`login (code by e-mail + session), c=${C}`, LOGINS, C, async (i) => {
    const email = `bench.${i}.${randomBytes(3).toString('hex')}@portal.test`;
    const remoteAddress = `10.9.${Math.floor(i / 250)}.${i % 250}`;
    const a = await app.inject({
      method: 'POST',
      url: '/api/portal/suppliers/DEMO/login-codes',
      payload: { email },
      remoteAddress,
    });
    if (a.statusCode !== 202) throw new Error(`code: ${a.statusCode} ${a.body}`);
    const s = await app.inject({
      method: 'POST',
      url: '/api/portal/suppliers/DEMO/sessions',
      payload: { email, code: codes.get(email) },
      remoteAddress,
    });
    if (s.statusCode !== 201) throw new Error(`session: ${s.statusCode} ${s.body}`);
    tokens.push(s.json<{ token: string }>().token);
  });

  // A real 1x1 PNG with random bytes after its end: recognised as a PNG by its content, as large as asked.
  const photo = Buffer.concat([
    Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    ),
    randomBytes(KB * 1024),
  ]);
  await runConcurrent(`complaint with a ${KB} KB photo, c=${C}`, N, C, async (i) => {
    const form = new FormData();
    form.append('category', 'facturare');
    form.append('subject', `Factură ${i}`);
    form.append('body', 'Factura din această lună este mult prea mare față de consumul real.');
    form.append('contactName', 'Consumator Bench');
    form.append('files', new Blob([new Uint8Array(photo)], { type: 'image/png' }), `poza-${i}.png`);
    const r = await app.inject({
      method: 'POST',
      url: '/api/portal/cases',
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
      payload: form,
      remoteAddress: `10.8.${Math.floor(i / 25)}.${i % 25}`,
    });
    if (r.statusCode !== 201) throw new Error(`complaint: ${r.statusCode} ${r.body}`);
  });

  await app.close();
  mailer.close();
  await stack.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
