/**
 * Housekeeping's public face (.dependency-cruiser.cjs): the periodic sweep of rows that only pile up (expired
 * sessions and login codes, old failed logins, stray upload parts, applied engine task events), its settings
 * from the configuration, and one sweep on demand.
 */
export {
  DEFAULT_BATCH_SIZE,
  housekeepingSettings,
  startHousekeeping,
  sweepOnce,
  type HousekeepingOptions,
  type SweepCounts,
  type SweepOptions,
} from './housekeeping.ts';
