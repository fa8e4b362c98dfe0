import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, ERRORS } from '../errors.ts';
import { EngineUnavailableError } from '../engine/client.ts';

const FIELD_LABELS: Record<string, string> = {
  category: 'categoria',
  subject: 'subiectul',
  body: 'textul reclamației',
  customerId: 'clientul',
  placeId: 'locul de consum',
  contactName: 'numele petentului',
  contactEmail: 'e-mailul petentului',
  contactPhone: 'telefonul petentului',
  email: 'e-mailul',
  password: 'parola',
  reason: 'motivul',
  q: 'căutarea',
  code: 'codul de acces',
  number: 'numărul de înregistrare',
  findings: 'constatările',
  answerText: 'răspunsul',
  approved: 'decizia',
  comment: 'comentariul',
  receivedAt: 'momentul primirii',
  days: 'numărul de zile',
  unit: 'unitatea termenului',
  extensionDays: 'zilele de prelungire',
  legalBasis: 'temeiul legal',
  day: 'ziua',
  name: 'numele',
  roles: 'rolurile',
  token: 'linkul',
  passwordConfirmation: 'confirmarea parolei',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Ajv's English messages, said in Romanian for the people who read them. */
export function validationMessage(errors: AjvError[]): string {
  const e = errors[0];
  if (!e) return ERRORS.VALIDATION_FAILED.message;
  const path = e.instancePath.split('/').filter(Boolean);
  const name = e.keyword === 'required' ? String(e.params.missingProperty) : (path[path.length - 1] ?? '');
  const field = `„${FIELD_LABELS[name] ?? name}”`;
  switch (e.keyword) {
    case 'required':
      return `Câmpul ${field} este obligatoriu.`;
    case 'maxLength':
      return `Câmpul ${field} poate avea cel mult ${String(e.params.limit)} de caractere.`;
    case 'minLength':
      return Number(e.params.limit) <= 1
        ? `Câmpul ${field} nu poate fi gol.`
        : `Câmpul ${field} trebuie să aibă cel puțin ${String(e.params.limit)} caractere.`;
    case 'enum':
    case 'anyOf':
    case 'const':
      return `Câmpul ${field} are o valoare nepermisă.`;
    case 'format':
      return `Câmpul ${field} nu are un format valid.`;
    case 'pattern':
      return `Câmpul ${field} nu are forma așteptată.`;
    case 'type':
      return `Câmpul ${field} are un tip greșit.`;
    case 'minimum':
    case 'maximum':
      return `Câmpul ${field} este în afara limitelor permise.`;
    case 'minProperties':
      return 'Cererea nu conține nimic de înregistrat: completați cel puțin un câmp.';
    default:
      return ERRORS.VALIDATION_FAILED.message;
  }
}

/**
 * One error handler: domain errors keep their code and Romanian message; validation errors say which field;
 * anything unexpected is logged (method, url, no body: it may carry personal data) and answered with a 500.
 */
export default fp(
  async function errorHandler(fastify: FastifyInstance) {
    fastify.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
      if (err instanceof DomainError) {
        return reply.status(err.status).send({ code: err.code, message: err.message });
      }
      if (err instanceof EngineUnavailableError) {
        request.log.warn({ err: err.message }, 'engine unavailable');
        return reply
          .status(503)
          .send({ code: 'ENGINE_UNAVAILABLE', message: ERRORS.ENGINE_UNAVAILABLE.message });
      }
      const fe = err as FastifyError & { validation?: AjvError[] };
      if (fe.validation) {
        return reply
          .status(400)
          .send({ code: 'VALIDATION_FAILED', message: validationMessage(fe.validation) });
      }
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(413).send({ code: 'BODY_TOO_LARGE', message: 'Cererea este prea mare.' });
      }
      if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return reply
          .status(415)
          .send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Tip de conținut nepermis; trimiteți JSON.' });
      }
      if (
        fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
        fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        err instanceof SyntaxError
      ) {
        return reply
          .status(400)
          .send({ code: 'INVALID_JSON', message: 'Corpul cererii nu este JSON valid.' });
      }
      if (fe.statusCode === 429) {
        return reply.status(429).send({ code: 'RATE_LIMITED', message: ERRORS.RATE_LIMITED.message });
      }
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
        return reply
          .status(fe.statusCode)
          .send({ code: fe.code ?? 'BAD_REQUEST', message: 'Cerere invalidă.' });
      }
      request.log.error({ method: request.method, url: request.routeOptions.url, err }, 'unhandled error');
      return reply.status(500).send({
        code: 'INTERNAL',
        message: 'Eroare internă. Încercați din nou; dacă persistă, anunțați administratorul.',
      });
    });
  },
  { name: 'error-handler' },
);
