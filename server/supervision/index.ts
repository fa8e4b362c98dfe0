/**
 * The supervisor view's public face (.dependency-cruiser.cjs): unclosed cases by deadline risk, the team's
 * workload and the engine's incidents, with reassigning and retrying.
 */
export { createSupervisionService, type Risk, type SupervisionService } from './supervision.service.ts';
