import type { ApiError } from '$lib/api/types';
import type { DefinitionKind, DeploymentResult, LintIssue } from './api-types';

/**
 * The editor's calls from the browser to /api/process-definitions (the session cookie authenticates them; the
 * API checks the role, the tenant and the origin). Every failure comes back as the API's Romanian message.
 */
async function call<T>(
  method: 'POST',
  url: string,
  body: unknown,
): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  try {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const data = (await res.json().catch(() => null)) as T | ApiError | null;
    if (res.ok) return { ok: true, data: data as T };
    const message =
      data && typeof data === 'object' && 'message' in data && res.status < 500
        ? data.message
        : 'Serverul nu a putut răspunde. Încercați din nou.';
    return { ok: false, message };
  } catch {
    return { ok: false, message: 'Nu există conexiune cu serverul. Încercați din nou.' };
  }
}

export function lintDefinition(kind: DefinitionKind, xml: string) {
  return call<{ issues: LintIssue[] }>('POST', '/api/process-definitions/lint', { kind, xml });
}

export function deployDefinition(resourceName: string, xml: string) {
  return call<DeploymentResult>('POST', '/api/process-definitions/deployments', { resourceName, xml });
}
