import { postApiProcessDefinitionsDeployments, postApiProcessDefinitionsLint } from '$lib/api/generated';
import { askApi, browserClient } from '$lib/api/browser';
import type { DefinitionKind } from './api-types';

/**
 * The editor's calls from the browser to /api/process-definitions (the session cookie authenticates them; the
 * API checks the role, the tenant and the origin). Every failure comes back as the message to show.
 */
const FALLBACK = 'Serverul nu a putut răspunde. Încercați din nou.';

export function lintDefinition(kind: DefinitionKind, xml: string) {
  return askApi(postApiProcessDefinitionsLint({ client: browserClient(), body: { kind, xml } }), FALLBACK);
}

export function deployDefinition(resourceName: string, xml: string) {
  return askApi(
    postApiProcessDefinitionsDeployments({ client: browserClient(), body: { resourceName, xml } }),
    FALLBACK,
  );
}
