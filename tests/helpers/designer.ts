import type { TestContext } from './test-context.ts';

/** Deploys a BPMN or DMN file as the designer page does (POST /api/process-definitions/deployments). */
export function deployAsDesigner(
  t: Pick<TestContext, 'app'>,
  headers: { authorization: string },
  xml: string,
  resourceName = 'complaint.bpmn',
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/process-definitions/deployments',
    headers,
    payload: { resourceName, xml },
  });
}
