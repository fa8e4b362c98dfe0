import type { ComplaintCategory } from '../db/schema/index.ts';

/**
 * The deadline rules a new tenant starts with; a tenant admin edits them. Sources: domain-research.md §1.5.
 * Billing: 15 working days (Order 6/2017 art. 8(1) as amended by Order 138/2021). The rest: 30 calendar days from
 * registration (OG 27/2002 art. 8; extension up to 30 days with prior notice, Law 31/2018) unless a tenant sets
 * its own standard.
 */
export const DEFAULT_DEADLINE_RULES: Record<
  ComplaintCategory,
  { days: number; unit: 'working' | 'calendar'; extensionDays: number; legalBasis: string }
> = {
  contractare: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  facturare: {
    days: 15,
    unit: 'working',
    extensionDays: 0,
    legalBasis: 'Ordinul ANRE nr. 6/2017, art. 8 alin. (1), modificat prin Ordinul ANRE nr. 138/2021',
  },
  oferte_preturi_tarife: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  continuitate_alimentare: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  calitate_energie: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  grup_masurare: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  schimbare_furnizor: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; Ordinul ANRE nr. 234/2019',
  },
  informare_clienti: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
  solutionare_plangeri: {
    days: 30,
    unit: 'calendar',
    extensionDays: 30,
    legalBasis: 'Ordinul ANRE nr. 16/2015; OG nr. 27/2002, art. 8',
  },
};
