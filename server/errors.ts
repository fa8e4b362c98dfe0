/**
 * The one error catalogue. Services throw `new DomainError(code, params)`; the error handler turns it into
 * `{ code, message }` with the status below. Messages are Romanian: they reach people through the UI.
 *
 * One file although past 300 lines: it is one table, a line per error code with its status and message; one
 * catalogue is what lets a reviewer see every message the UI can show and keeps two codes from meaning the same.
 */
export const ERRORS = {
  AUTH_REQUIRED: { status: 401, message: 'Autentificare necesară.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'E-mail sau parolă greșită.' },
  AUTH_LOGIN_LOCKED: {
    status: 429,
    message: 'Prea multe încercări nereușite pentru acest cont de pe această adresă. Reîncercați mai târziu.',
  },
  AUTH_SESSION_INVALID: {
    status: 401,
    message: 'Sesiunea a expirat sau nu este validă. Autentificați-vă din nou.',
  },
  AUTH_FORBIDDEN: { status: 403, message: 'Nu aveți dreptul să efectuați această operațiune.' },
  AUTH_SECOND_FACTOR_NOT_DUE: {
    status: 409,
    message: 'Codul din aplicația de autentificare nu este cerut acum pentru această sesiune.',
  },
  AUTH_SECOND_FACTOR_INVALID: {
    status: 400,
    message:
      'Codul nu este corect sau a fost deja folosit. Introduceți codul curent din aplicația de autentificare sau un cod de recuperare.',
  },
  AUTH_SECOND_FACTOR_TOO_MANY: {
    status: 401,
    message: 'Prea multe coduri greșite. Autentificați-vă din nou cu parola.',
  },
  AUTH_SECOND_FACTOR_REQUIRED: {
    status: 403,
    message: 'Introduceți codul din aplicația de autentificare pentru a continua.',
  },
  AUTH_TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    message:
      'Contul dumneavoastră trebuie protejat cu autentificare în doi pași. Configurați aplicația de autentificare pentru a continua.',
  },
  AUTH_REAUTH_REQUIRED: {
    status: 403,
    message:
      'Pentru această operațiune confirmați din nou identitatea: introduceți parola (și codul din aplicația de autentificare, dacă îl folosiți).',
  },
  AUTH_REAUTH_CODE_REQUIRED: {
    status: 400,
    message: 'Introduceți și codul din aplicația de autentificare (sau un cod de recuperare).',
  },
  AUTH_REAUTH_FAILED: { status: 400, message: 'Parola sau codul nu sunt corecte.' },
  TOTP_ENROLMENT_NOT_STARTED: {
    status: 409,
    message: 'Configurarea nu a fost începută sau a expirat. Reîncepeți: se va afișa un cod QR nou.',
  },
  TOTP_CODE_INVALID: {
    status: 400,
    message: 'Codul nu este corect. Verificați ora telefonului și introduceți codul curent, de 6 cifre.',
  },
  TOTP_NOT_ENABLED: {
    status: 409,
    message: 'Autentificarea în doi pași nu este activată pentru acest cont.',
  },
  CSRF_ORIGIN_MISMATCH: { status: 403, message: 'Cerere respinsă: originea nu corespunde aplicației.' },
  VALIDATION_FAILED: { status: 400, message: 'Date invalide.' },
  CUSTOMER_NOT_FOUND: { status: 404, message: 'Clientul nu există.' },
  PLACE_NOT_FOUND: { status: 404, message: 'Locul de consum nu există.' },
  PLACE_NOT_OF_CUSTOMER: { status: 422, message: 'Locul de consum nu aparține clientului ales.' },
  CONTACT_REQUIRED: {
    status: 422,
    message: 'Indicați clientul sau datele de contact ale petentului (nume și e-mail sau telefon).',
  },
  CATEGORY_HAS_NO_RULE: { status: 422, message: 'Categoria nu are un termen legal configurat.' },
  DEADLINE_RULE_INVALID: {
    status: 422,
    message: 'Regula de termen nu este completă (temeiul legal lipsește).',
  },
  NON_WORKING_DAY_EXISTS: { status: 409, message: 'Ziua este deja declarată nelucrătoare.' },
  STEP_NOT_FOUND: { status: 404, message: 'Pasul nu există în instrucțiunea de lucru a sarcinii.' },
  OPERATOR_REQUEST_NOT_FOUND: { status: 404, message: 'Cererea către operatorul de distribuție nu există.' },
  OPERATOR_REQUEST_ANSWERED: { status: 409, message: 'Cererea către OD are deja un răspuns înregistrat.' },
  JOB_ROLE_NOT_FOUND: { status: 404, message: 'Funcția nu există în organigrama furnizorului.' },
  USER_NOT_FOUND: { status: 422, message: 'Unul dintre utilizatori nu există.' },
  USER_INACTIVE: { status: 422, message: 'Un utilizator dezactivat nu poate deține o funcție.' },
  NON_WORKING_DAY_ALREADY: { status: 422, message: 'Ziua este deja nelucrătoare.' },
  CASE_NOT_FOUND: { status: 404, message: 'Reclamația nu există.' },
  EXTENSION_NOT_POSSIBLE: {
    status: 409,
    message: 'Termenul acestei reclamații nu mai poate fi prelungit (răspuns comunicat sau dosar închis).',
  },
  EXTENSION_DATE_INVALID: {
    status: 400,
    message:
      'Noul termen trebuie să fie după termenul actual și în limita prelungirii permise pentru categoria reclamației.',
  },
  EXTENSION_NOT_CASE_HOLDER: {
    status: 403,
    message: 'Prelungirea o propune ofițerul care are în lucru o sarcină a reclamației.',
  },
  MAILBOX_UNREACHABLE: { status: 422, message: 'Conexiunea la căsuța de e-mail a eșuat.' },
  MAILBOX_PASSWORD_REQUIRED: {
    status: 422,
    message: 'Introduceți parola căsuței de e-mail (nu există una salvată).',
  },
  MAILBOX_PASSWORD_REQUIRED_NEW_SERVER: {
    status: 422,
    message:
      'Ați schimbat serverul, portul sau criptarea: introduceți din nou parola (parola salvată nu este trimisă altui server).',
  },
  OUTBOUND_REFUSED: {
    status: 422,
    message:
      'Conexiunea la acest server nu este permisă: adresele interne și porturile instalației sunt blocate. Un server din rețeaua internă poate fi permis doar de operatorul platformei.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message:
      'Cheia Idempotency-Key a fost folosită deja pentru o altă cerere: trimiteți o cheie nouă pentru o reclamație nouă.',
  },
  CASE_ALREADY_ANNULLED: { status: 409, message: 'Reclamația este deja anulată.' },
  CASE_CLOSED: { status: 409, message: 'Reclamația este închisă.' },
  CASE_CLOSED_NOT_ANNULLABLE: {
    status: 409,
    message:
      'Reclamația este închisă sau clasată și nu mai poate fi anulată: se anulează doar o înregistrare făcută din eroare, cât timp reclamația nu este închisă.',
  },
  CASE_NOT_CONTESTABLE: {
    status: 409,
    message: 'Răspunsul poate fi contestat numai după ce a fost transmis consumatorului.',
  },
  REASSIGN_ROLE_MISSING: {
    status: 422,
    message: 'Utilizatorul ales nu deține funcția cerută de sarcină; actualizați întâi organigrama.',
  },
  INCIDENT_NOT_FOUND: { status: 404, message: 'Incidentul nu există sau a fost deja rezolvat.' },
  PERIOD_INVALID: {
    status: 400,
    message: 'Perioada nu este validă: data de început este după data de sfârșit.',
  },
  PERIOD_TOO_LONG: { status: 400, message: 'Alegeți o perioadă de cel mult un an.' },
  REPORT_NOT_A_PAST_QUARTER: {
    status: 422,
    message: 'Se poate publica numai un trimestru întreg care s-a încheiat (de exemplu 01.01–31.03).',
  },
  REPORT_ALREADY_PUBLISHED: {
    status: 409,
    message: 'Trimestrul a fost deja publicat; cifrele publicate rămân cum au fost publicate.',
  },
  REPORT_NOT_PUBLISHED: { status: 404, message: 'Furnizorul nu are un raport publicat.' },
  CONTEST_TEXT_TOO_SHORT: {
    status: 400,
    message: 'Descrieți pe scurt ce contestă consumatorul (cel puțin 10 caractere).',
  },
  STATUS_NOT_FOUND: { status: 404, message: 'Nu am găsit o reclamație cu acest număr și cod de acces.' },
  TASK_NOT_FOUND: { status: 404, message: 'Sarcina nu există sau nu vă este accesibilă.' },
  TASK_ALREADY_CLAIMED: { status: 409, message: 'Sarcina a fost deja preluată de altcineva.' },
  TASK_NOT_ASSIGNED_TO_YOU: { status: 409, message: 'Preluați sarcina înainte de a o finaliza.' },
  TASK_FORM_INVALID: { status: 400, message: 'Formularul sarcinii nu este completat corect.' },
  TASK_COMPLETION_DEFERRED: {
    status: 503,
    message:
      'Finalizarea sarcinii a fost înregistrată, dar motorul de procese nu a confirmat-o încă; va fi aplicată automat, o singură dată.',
  },
  TASK_ENGINE_REFUSED: {
    status: 409,
    message:
      'Motorul de procese a refuzat finalizarea sarcinii; nimic nu a fost modificat. Reîncărcați sarcina.',
  },
  GDPR_DPO_ONLY: {
    status: 403,
    message:
      'Doar responsabilul cu protecția datelor (DPO) poate vedea și soluționa cererile privind datele personale și jurnalul de acces.',
  },
  GDPR_REQUEST_NOT_FOUND: { status: 404, message: 'Cererea privind datele personale nu există.' },
  GDPR_REQUEST_ANSWERED: { status: 409, message: 'Cererea privind datele personale a primit deja răspuns.' },
  GDPR_EXTENSION_LATE: {
    status: 409,
    message:
      'Termenul se poate prelungi doar în prima lună de la primirea cererii, cu informarea persoanei (art. 12 alin. (3) din Regulamentul (UE) 2016/679); luna a trecut.',
  },
  GDPR_ALREADY_EXTENDED: {
    status: 409,
    message: 'Termenul acestei cereri a fost deja prelungit (cel mult două luni în total).',
  },
  GDPR_REFUSAL_REASON_REQUIRED: {
    status: 400,
    message: 'Pentru o cerere respinsă, total sau parțial, scrieți motivul refuzului și temeiul legal.',
  },
  GDPR_SUBJECT_REQUIRED: {
    status: 400,
    message: 'Alegeți persoana: clientul din evidență sau adresa de e-mail.',
  },
  GDPR_CASE_NOT_CONVERTIBLE: {
    status: 409,
    message:
      'Dosarul nu mai poate fi transformat în cerere GDPR: are deja răspuns, a fost clasat sau anulat.',
  },
  RETENTION_YEARS_INVALID: {
    status: 400,
    message:
      'Termenul de păstrare este între 3 și 10 ani de la închiderea dosarului (ANRE poate prelua plângeri din ultimele 36 de luni).',
  },
  GDPR_REQUEST_NOT_A_COMPLAINT: {
    status: 422,
    message:
      'O cerere privind datele personale (GDPR) nu este o reclamație: transmiteți-o responsabilului cu protecția datelor (DPO), care răspunde în termen de o lună (art. 12 alin. (3) din Regulamentul (UE) 2016/679).',
  },
  GDPR_TASK_ON_PRIVACY_PAGE: {
    status: 409,
    message:
      'Sarcina ține de o cerere privind datele personale (GDPR), nu de o reclamație: se soluționează din pagina „Protecția datelor”, prin prelungirea termenului sau emiterea răspunsului.',
  },
  CATEGORY_IS_A_SOURCE: {
    status: 422,
    message:
      'Sesizarea unei autorități nu este o categorie: alegeți categoria după obiectul plângerii și indicați sursa „autoritate”, cu numele autorității, numărul ei de înregistrare și termenul cerut.',
  },
  AUTHORITY_REQUIRED: {
    status: 422,
    message:
      'Pentru o sesizare transmisă de o autoritate indicați numele autorității (de exemplu ANRE sau ANPC).',
  },
  TASK_DELEGATE_NOT_ELIGIBLE: {
    status: 400,
    message: 'Sarcina poate fi delegată doar unui coleg care deține unul dintre rolurile ei.',
  },
  INBOX_CURSOR_INVALID: {
    status: 400,
    message: 'Poziția din listă nu este validă; reîncepeți de la prima pagină.',
  },
  INBOX_FILTER_NAME_INVALID: { status: 400, message: 'Dați filtrului un nume de cel puțin 2 caractere.' },
  INBOX_FILTER_NOT_FOUND: { status: 404, message: 'Filtrul salvat nu există.' },
  COMMENT_INVALID: { status: 400, message: 'Scrieți comentariul (cel puțin 2 caractere).' },
  ENGINE_UNAVAILABLE: {
    status: 503,
    message: 'Motorul de procese nu este disponibil momentan. Reîncercați în câteva momente.',
  },
  RATE_LIMITED: { status: 429, message: 'Prea multe cereri. Reîncercați peste un minut.' },
  NOT_FOUND: { status: 404, message: 'Resursa nu există.' },
  // E-mail intake: quarantine and identification (server/intake, server/identification)
  QUARANTINE_NOT_FOUND: { status: 404, message: 'Mesajul din carantină nu există.' },
  QUARANTINE_RESOLVED: { status: 409, message: 'Mesajul din carantină a fost deja tratat.' },
  QUARANTINE_RAW_MISSING: { status: 404, message: 'Conținutul original al mesajului nu a fost păstrat.' },
  IDENTIFY_TASK_NOT_OPEN: {
    status: 409,
    message: 'Reclamația nu are o sarcină de identificare a clientului deschisă pentru dumneavoastră.',
  },
  IDENTIFY_ROLE_REQUIRED: {
    status: 403,
    message:
      'Identificarea clientului o confirmă doar cine are funcția căreia îi aparține sarcina (de exemplu RRC).',
  },
  // Consumer portal (server/portal)
  PORTAL_SUPPLIER_NOT_FOUND: { status: 404, message: 'Furnizorul nu există.' },
  PORTAL_CODE_INVALID: {
    status: 401,
    message: 'Codul introdus nu este corect. Verificați ultimul e-mail primit sau cereți un cod nou.',
  },
  PORTAL_CODE_EXPIRED: { status: 401, message: 'Codul a expirat. Cereți un cod nou.' },
  PORTAL_CODE_LOCKED: {
    status: 429,
    message: 'Ați introdus un cod greșit de prea multe ori. Cereți un cod nou.',
  },
  PORTAL_CODE_RATE_LIMITED: {
    status: 429,
    message: 'Ați cerut prea multe coduri într-un timp scurt. Reîncercați peste 15 minute.',
  },
  PORTAL_MAIL_UNAVAILABLE: {
    status: 503,
    message: 'Nu am putut trimite e-mailul cu codul. Reîncercați în câteva minute.',
  },
  PORTAL_SESSION_INVALID: {
    status: 401,
    message: 'Sesiunea a expirat. Autentificați-vă din nou cu un cod primit pe e-mail.',
  },
  PORTAL_LINK_PROOF_REQUIRED: {
    status: 400,
    message: 'Completați atât numărul contractului, cât și seria contorului.',
  },
  // One answer for every failed link (wrong data, too many tries, a place on file lacking a factor), so nobody
  // can tell a locked account or an existing customer from a wrong guess (issue 13 item 5).
  PORTAL_LINK_REFUSED: {
    status: 422,
    message:
      'Nu am putut asocia contul de client. Verificați codul de client, codul locului de consum (POD/CLC), numărul contractului și seria contorului, așa cum apar pe factură. După mai multe încercări greșite, asocierea se blochează 24 de ore. Dacă datele sunt corecte, sunați la furnizor.',
  },
  PORTAL_PLACE_NOT_LINKED: {
    status: 422,
    message: 'Locul de consum ales nu aparține unui cont de client asociat contului dumneavoastră.',
  },
  PORTAL_NAME_REQUIRED: {
    status: 422,
    message: 'Fără un cont de client asociat, completați numele dumneavoastră.',
  },
  PORTAL_TOO_MANY_FILES: { status: 413, message: 'Puteți atașa cel mult 5 fișiere.' },
  PORTAL_FILE_TOO_LARGE: { status: 413, message: 'Un fișier depășește 10 MB.' },
  PORTAL_FILES_TOO_LARGE: { status: 413, message: 'Fișierele depășesc împreună 25 MB.' },
  PORTAL_FILE_TYPE: {
    status: 415,
    message:
      'Tip de fișier nepermis. Sunt acceptate fotografii (JPG, PNG, WEBP, HEIC), PDF, DOCX, XLSX și ODT.',
  },
  PORTAL_MULTIPART_REQUIRED: {
    status: 415,
    message: 'Trimiteți formularul ca multipart/form-data.',
  },
  PROCESS_DEFINITION_NOT_FOUND: { status: 404, message: 'Procesul sau tabelul de decizie nu există.' },
  PROCESS_LINT_FAILED: {
    status: 422,
    message: 'Versiunea nu a fost publicată: procesul are erori de validare.',
  },
  PROCESS_RESOURCE_UNKNOWN: { status: 422, message: 'Fișierul nu face parte din procesele furnizorului.' },
  PROCESS_KEY_CHANGED: {
    status: 422,
    message: 'Identificatorii proceselor din fișier nu pot fi schimbați la publicarea unei versiuni noi.',
  },
  PROCESS_DEPLOY_REFUSED: { status: 422, message: 'Motorul de procese a refuzat versiunea.' },
  PROCESS_NOT_OVERRIDDEN: { status: 409, message: 'Fișierul rulează deja versiunea de bază.' },
  // Staff accounts (server/users): the admin's staff list and the password-setting links
  STAFF_USER_NOT_FOUND: { status: 404, message: 'Utilizatorul nu există.' },
  STAFF_EMAIL_TAKEN: {
    status: 409,
    message: 'Adresa de e-mail este deja folosită de un alt cont. Alegeți altă adresă.',
  },
  STAFF_CANNOT_DEACTIVATE_SELF: { status: 409, message: 'Nu vă puteți dezactiva propriul cont.' },
  STAFF_CANNOT_DROP_OWN_ADMIN: {
    status: 409,
    message: 'Nu vă puteți retrage singur rolul de administrator; cereți-i altui administrator.',
  },
  STAFF_LAST_ADMIN: {
    status: 409,
    message: 'Furnizorul trebuie să păstreze cel puțin un administrator activ.',
  },
  // Two-person rule for the designer and admin roles (server/users/role-grants.service.ts)
  ROLE_GRANT_NOT_FOUND: {
    status: 404,
    message: 'Cererea de acordare a rolului nu există sau a fost deja decisă.',
  },
  ROLE_GRANT_SAME_ADMIN: {
    status: 403,
    message:
      'Cererea trebuie aprobată de un alt administrator decât cel care a făcut-o (regula celor două persoane).',
  },
  ROLE_GRANT_OWN: {
    status: 403,
    message: 'Nu vă puteți aproba singur un rol: aprobarea o dă un alt administrator.',
  },
  STAFF_USER_INACTIVE: {
    status: 409,
    message: 'Contul este dezactivat. Reactivați-l înainte de a trimite un link pentru parolă.',
  },
  PASSWORD_LINK_INVALID: {
    status: 404,
    message:
      'Linkul pentru setarea parolei nu este valid sau a fost înlocuit de unul mai nou. Cereți administratorului un link nou.',
  },
  PASSWORD_LINK_EXPIRED: {
    status: 410,
    message:
      'Linkul pentru setarea parolei a expirat (este valabil 24 de ore). Cereți administratorului un link nou.',
  },
  PASSWORD_LINK_USED: {
    status: 410,
    message:
      'Linkul pentru setarea parolei a fost deja folosit. Autentificați-vă cu parola aleasă sau cereți administratorului un link nou.',
  },
  PASSWORD_TOO_SHORT: { status: 400, message: 'Parola trebuie să aibă cel puțin 12 caractere.' },
  PASSWORD_TOO_LONG: { status: 400, message: 'Parola poate avea cel mult 128 de caractere.' },
  PASSWORD_CONTAINS_EMAIL: {
    status: 400,
    message: 'Parola nu poate conține adresa de e-mail (nici partea dinaintea semnului @).',
  },
  PASSWORD_MISMATCH: { status: 400, message: 'Parola și confirmarea ei nu coincid.' },
  PASSWORD_CURRENT_WRONG: { status: 400, message: 'Parola actuală nu este corectă.' },
  PASSWORD_UNCHANGED: { status: 400, message: 'Parola nouă trebuie să fie diferită de cea actuală.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Record<string, unknown>;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, message?: string) {
    super(message ?? ERRORS[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.params = params;
  }
}
