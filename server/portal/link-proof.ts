import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normaliseCode } from './portal-links.repo.ts';

/**
 * The second factors of a portal link (contract number and meter serial), compared in constant time.
 *
 * Both values are normalised the way people type them, then HMAC'ed under a key of this process so the compared
 * buffers always have the same length (timingSafeEqual needs that, and a plain compare would stop at the first
 * differing character). Both factors are always compared, also when the place does not exist or lacks one of
 * them (against a dummy that nothing typed can equal), so the time taken says nothing about what is on file.
 */
const KEY = randomBytes(32);
const DUMMY = randomBytes(32).toString('hex');

const digest = (v: string) => createHmac('sha256', KEY).update(v).digest();

export interface OnFile {
  contractNumber: string | null;
  meterSerial: string | null;
}

export interface Typed {
  contractNumber: string;
  meterSerial: string;
}

export type FactorCheck = 'match' | 'mismatch' | 'place_incomplete';

/** Whether both typed factors equal those on file; `place_incomplete` when the place lacks one (never a match). */
export function checkFactors(onFile: OnFile | null, typed: Typed): FactorCheck {
  const contract = onFile?.contractNumber ? normaliseCode(onFile.contractNumber) : '';
  const meter = onFile?.meterSerial ? normaliseCode(onFile.meterSerial) : '';
  const contractOk = timingSafeEqual(digest(contract || DUMMY), digest(normaliseCode(typed.contractNumber)));
  const meterOk = timingSafeEqual(digest(meter || DUMMY), digest(normaliseCode(typed.meterSerial)));
  // Both compares ran above; only now are the results combined.
  if (onFile && (!contract || !meter)) return 'place_incomplete';
  return onFile && contractOk && meterOk ? 'match' : 'mismatch';
}
