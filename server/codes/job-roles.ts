/**
 * The job roles of a supply department (domain-research.md §3); tenants map them onto their org chart, the
 * BPMN candidate groups and the work instructions name them. No imports: the web pages import this file too.
 */
export const JOB_ROLES: Record<string, string> = {
  OCC: 'Operator call center',
  RRC: 'Referent relații clienți',
  REG: 'Registratură',
  RSP: 'Responsabil soluționare plângeri',
  SF: 'Specialist facturare',
  SM: 'Specialist date de măsurare și relația cu OD',
  SC: 'Specialist contractare',
  SSF: 'Specialist schimbare furnizor',
  SRC: 'Specialist recuperare creanțe',
  SP: 'Specialist prosumatori',
  FIN: 'Specialist financiar-contabil',
  CJ: 'Consilier juridic',
  DPO: 'Responsabil protecția datelor',
  SRR: 'Specialist raportări ANRE',
  SEF: 'Șef serviciu relații clienți',
};
