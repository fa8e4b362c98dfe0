/**
 * What each figure of the regulator report means (issue 16 item 1), in the words the report prints: the JSON
 * answer, the XLSX's definitions sheet, the PDF and the page show this list, and docs/legal.md explains the
 * choices behind it. The computation is server/reports/indicators.ts; a change of meaning changes both.
 */
export interface Definition {
  /** The field of a row (or of the report) the definition is about. */
  key: string;
  label: string;
  text: string;
}

export const DEFINITIONS: readonly Definition[] = [
  {
    key: 'received',
    label: 'Reclamații primite',
    text:
      'Reclamațiile înregistrate în perioadă (data înregistrării). Nu se numără înregistrările anulate, ' +
      'solicitările găsite la triere că nu sunt reclamații și cererile privind datele personale (GDPR). O ' +
      'reclamație retrasă de client sau clasată (duplicat, greșit îndreptată, anonimă, necompletată) rămâne numărată.',
  },
  {
    key: 'solved',
    label: 'Reclamații soluționate',
    text:
      'Reclamațiile al căror răspuns (sau notificare de clasare) a fost comunicat în perioadă, oricând ar fi fost ' +
      'înregistrate. Data care contează este data comunicării către client: e-mailul acceptat de serverul de ' +
      'e-mail, expedierea scrisorii înregistrată în registrul poștal sau descărcarea din portal. O reclamație ' +
      'anonimă clasată (nu are cui i se comunica) contează la data clasării.',
  },
  {
    key: 'solvedInTime',
    label: 'Soluționate în termen',
    text:
      'Dintre cele soluționate, cele comunicate cel târziu în ziua termenului legal al reclamației: termenul ' +
      'categoriei socotit de la data înregistrării (în zile lucrătoare sau calendaristice, după regula de termen a ' +
      'furnizorului), prelungit numai cu notificare prealabilă aprobată, sau termenul mai scurt stabilit de ' +
      'autoritatea care a transmis reclamația.',
  },
  {
    key: 'late',
    label: 'Soluționate cu întârziere',
    text: 'Dintre cele soluționate, cele comunicate după ziua termenului legal.',
  },
  {
    key: 'pending',
    label: 'În curs la sfârșitul perioadei',
    text:
      'Reclamațiile înregistrate până la sfârșitul perioadei (oricând înainte) al căror răspuns nu fusese ' +
      'comunicat până atunci. Pentru o perioadă care nu s-a încheiat: până astăzi.',
  },
  {
    key: 'handlingTime',
    label: 'Durata de soluționare (medie și maximă)',
    text:
      'Pentru reclamațiile soluționate în perioadă: zilele de la data înregistrării până la data comunicării, ' +
      'numărate ca termenul (fără ziua înregistrării), în unitatea regulii de termen a reclamației: zile ' +
      'lucrătoare sau zile calendaristice. „Unități diferite” arată un rând în care regulile au unități diferite.',
  },
  {
    key: 'compensationsOwed',
    label: 'Compensații datorate',
    text:
      'Reclamațiile pentru care în perioadă a trecut ziua termenului fără răspuns comunicat (prima zi de ' +
      'întârziere cade în perioadă). Compensația (Ordinul ANRE nr. 83/2021) se datorează din oficiu; nu se ' +
      'datorează pentru o reclamație anonimă.',
  },
  {
    key: 'compensationOwedLei',
    label: 'Valoarea compensațiilor datorate (lei)',
    text:
      'Suma datorată pentru acestea: cea stabilită la comunicarea răspunsului întârziat, iar dacă răspunsul nu ' +
      'fusese comunicat până la sfârșitul perioadei, cea acumulată până atunci după regula furnizorului (suma de ' +
      'bază plus suma pe fiecare zi de întârziere din a doua zi, zilele numărate în unitatea termenului).',
  },
  {
    key: 'compensationsPaid',
    label: 'Compensații plătite',
    text:
      'Compensațiile acordate în perioadă: data plății înregistrată de financiar (credit pe factură, transfer ' +
      'bancar sau mandat poștal), oricând ar fi fost datorate.',
  },
  {
    key: 'compensationLei',
    label: 'Valoarea compensațiilor plătite (lei)',
    text: 'Suma compensațiilor acordate în perioadă.',
  },
  {
    key: 'splits',
    label: 'Defalcări',
    text:
      'Categoria: categoria principală a reclamației, una din cele nouă ale Ordinului ANRE nr. 16/2015, art. 2 ' +
      'alin. (1) lit. a)–i). Tipul clientului (casnic/noncasnic) și energia (electrică/gaze naturale): din fișa ' +
      'clientului și a locului de consum, corectate la triere; „Nespecificat” când nu se cunosc. Canalul: pe unde ' +
      'a fost primită. Sursa: consumatorul sau o autoritate (ANRE, ANPC) care a transmis-o.',
  },
  {
    key: 'reproducibility',
    label: 'Calcul și publicare',
    text:
      'Cifrele se calculează din datele dosarelor la fiecare cerere, numai cu evenimentele datate până la ' +
      'sfârșitul perioadei, deci un trimestru încheiat, calculat din nou mai târziu, dă aceleași cifre (afară de ' +
      'corectarea ulterioară a clasificării unei reclamații). Nicio cifră nu se introduce de mână. Un trimestru ' +
      'publicat rămâne înghețat exact cum a fost publicat.',
  },
];
