/**
 * The one door to the engine: a typed client over the Camunda 7 REST API (Operaton serves the same API).
 * Nothing else in the codebase speaks HTTP to the engine, and the browser never does.
 */
export type VariableValue = string | number | boolean | null | Date;
export type Variables = Record<string, VariableValue>;

interface TypedValue {
  value: unknown;
  type: string;
  valueInfo?: Record<string, unknown>;
}

export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly engineType: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The engine could not be reached: nothing happened there. */
export class EngineUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`engine unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'EngineUnavailableError';
  }
}

/**
 * A concurrent change of the same instance (a timer firing, a worker completing) makes the engine refuse with an
 * optimistic-locking error and roll back; the call is then safe to repeat, and it is, a few times at once. Used by
 * every call of server/engine that changes an instance (REST and external tasks alike).
 */
export async function retryingConflicts<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const conflict =
        err instanceof EngineError &&
        err.status === 500 &&
        /OptimisticLocking/i.test(`${err.engineType} ${err.message}`);
      if (!conflict || attempt >= 6) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export function toTypedVariables(vars: Variables): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const [name, v] of Object.entries(vars)) {
    if (v === null) out[name] = { value: null, type: 'Null' };
    else if (typeof v === 'boolean') out[name] = { value: v, type: 'Boolean' };
    else if (typeof v === 'number')
      out[name] = Number.isInteger(v) ? { value: v, type: 'Long' } : { value: v, type: 'Double' };
    else if (v instanceof Date) out[name] = { value: v.toISOString().replace('Z', '+0000'), type: 'Date' };
    else out[name] = { value: v, type: 'String' };
  }
  return out;
}

export interface EngineTask {
  id: string;
  name: string;
  assignee: string | null;
  created: string;
  due: string | null;
  processInstanceId: string;
  processDefinitionId: string;
  taskDefinitionKey: string;
  tenantId: string | null;
  description: string | null;
}

export interface TaskQuery {
  tenantIdIn: string[];
  assignee?: string;
  candidateGroups?: string[];
  /** Also tasks assigned to someone (for group views). */
  includeAssignedTasks?: boolean;
  processInstanceId?: string;
  processInstanceBusinessKey?: string;
  /** Only these tasks (whether they still exist). */
  taskIdIn?: string[];
  sorting?: Array<{ sortBy: 'dueDate' | 'created'; sortOrder: 'asc' | 'desc' }>;
}

export interface ProcessInstance {
  id: string;
  businessKey: string | null;
  definitionId: string;
  tenantId: string | null;
  ended: boolean;
}

export interface HistoricActivity {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  canceled: boolean;
}

export interface Deployment {
  id: string;
  name: string;
  /** Who deployed it: `reclamatii-baseline`, `reclamatii-designer`, `reclamatii-reset`. */
  source: string | null;
  tenantId: string | null;
  deploymentTime: string;
}

/** A process or decision definition (the fields both share in the REST API). */
export interface Definition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  resource: string;
  deploymentId: string;
  tenantId: string | null;
}

export interface ActivityStatistics {
  /** The activity id. */
  id: string;
  /** Instances waiting in this activity now. */
  instances: number;
  failedJobs: number;
  incidents: Array<{ incidentType: string; incidentCount: number }>;
}

export interface EngineClientOptions {
  url: string;
  user: string;
  password: string;
  /** Per-request timeout; keep it well under the outbox lease. */
  timeoutMs?: number;
}

export class EngineClient {
  /** The address and credentials stay here: no caller, not even the external-task client, gets them. */
  private readonly url: string;
  private readonly auth: string;
  /** Per-request timeout (the external-task client's long poll is sized to fit under it). */
  readonly timeoutMs: number;

  constructor(opts: EngineClientOptions) {
    this.url = opts.url.replace(/\/$/, '');
    this.auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /**
   * One JSON call to the REST API. Public for the other modules of server/engine (the one door to the engine);
   * everything outside server/engine uses the typed methods.
   */
  async request<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const res = await this.send(method, path, 'application/json', body, form);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A plain-text answer (stack traces, error details), with the same timeout and error mapping as `request`. */
  async requestText(method: string, path: string): Promise<string> {
    const res = await this.send(method, path, 'text/plain');
    return res.status === 204 ? '' : res.text();
  }

  /** Sends one request and maps every failure to EngineUnavailableError or EngineError; returns a 2xx answer. */
  private async send(
    method: string,
    path: string,
    accept: string,
    body?: unknown,
    form?: FormData,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          authorization: this.auth,
          accept,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Connection refused / DNS: the request never reached the engine.
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
        throw new EngineUnavailableError(err);
      }
      throw new EngineError(0, 'Transport', `engine request failed: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let type: string | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { type?: string; message?: string };
        type = parsed.type;
        message = parsed.message ?? text;
      } catch {
        /* not JSON */
      }
      throw new EngineError(res.status, type, message.slice(0, 500));
    }
    return res;
  }

  engineInfo(): Promise<Array<{ name: string }>> {
    return this.request('GET', '/engine');
  }

  async deploy(opts: {
    tenantId: string;
    name: string;
    source: string;
    files: Array<{ name: string; content: string }>;
    /** Skip when nothing changed since the last deployment of that name (the engine compares resources). */
    duplicateFiltering?: boolean;
  }): Promise<
    Deployment & {
      deployedProcessDefinitions: Record<string, { id: string; key: string; version: number }> | null;
    }
  > {
    // Only process models and decision tables ever reach the engine: no scripts, classes or other resources a
    // BPMN could point to (`camunda:resource="deployment://…"`), whoever calls this.
    for (const f of opts.files)
      if (!f.name.endsWith('.bpmn') && !f.name.endsWith('.dmn'))
        throw new Error(`refused to deploy ${f.name}: only .bpmn and .dmn resources are deployed`);
    const form = new FormData();
    form.set('deployment-name', opts.name);
    form.set('deployment-source', opts.source);
    form.set('tenant-id', opts.tenantId);
    form.set('enable-duplicate-filtering', String(opts.duplicateFiltering ?? true));
    // Without duplicate filtering every call is a new version (designer deployments, reset to baseline).
    form.set('deploy-changed-only', String(opts.duplicateFiltering ?? true));
    for (const f of opts.files) form.set(f.name, new Blob([f.content], { type: 'application/xml' }), f.name);
    return this.request('POST', '/deployment/create', undefined, form);
  }

  startProcess(opts: {
    key: string;
    tenantId: string;
    businessKey: string;
    variables: Variables;
  }): Promise<{ id: string; businessKey: string; definitionId: string }> {
    return this.request(
      'POST',
      `/process-definition/key/${encodeURIComponent(opts.key)}/tenant-id/${encodeURIComponent(opts.tenantId)}/start`,
      { businessKey: opts.businessKey, variables: toTypedVariables(opts.variables) },
    );
  }

  /**
   * Correlates a BPMN message to the running instance with this business key. Returns false when no instance
   * waits for it (e.g. the case is already closed); other failures throw.
   */
  async correlateMessage(opts: {
    messageName: string;
    tenantId: string;
    businessKey: string;
    variables?: Variables;
    /**
     * Deliver to every waiting subscription of the instance (e.g. the case-wide "information added" event
     * sub-process and a wait for the consumer's completion at once); false when none waits.
     */
    all?: boolean;
  }): Promise<boolean> {
    try {
      // A conflict with the job executor (a timer of the same instance firing) rolled everything back: retry.
      const results = await retryingConflicts(() =>
        this.request<unknown[] | undefined>('POST', '/message', {
          messageName: opts.messageName,
          businessKey: opts.businessKey,
          tenantId: opts.tenantId,
          processVariables: toTypedVariables(opts.variables ?? {}),
          ...(opts.all ? { all: true, resultEnabled: true } : {}),
        }),
      );
      if (opts.all) return Array.isArray(results) && results.length > 0;
      return true;
    } catch (err) {
      // Nothing waits for this message: the engine says so as a MismatchingMessageCorrelationException, or (when
      // no execution matches at all) as a RestException "No process definition or execution matches".
      if (
        err instanceof EngineError &&
        err.status === 400 &&
        (/MismatchingMessageCorrelation/.test(err.engineType ?? '') ||
          /No process definition or execution matches/i.test(err.message))
      )
        return false;
      throw err;
    }
  }

  findProcessInstances(q: { businessKey: string; tenantId: string }): Promise<ProcessInstance[]> {
    return this.request('POST', '/process-instance', {
      businessKey: q.businessKey,
      tenantIdIn: [q.tenantId],
    });
  }

  /** Running and ended instances; `processDefinitionKey` keeps called sub-processes (same business key) out. */
  findHistoricProcessInstances(q: {
    businessKey: string;
    tenantId: string;
    processDefinitionKey?: string;
  }): Promise<Array<{ id: string; businessKey: string; state: string }>> {
    return this.request('POST', '/history/process-instance', {
      processInstanceBusinessKey: q.businessKey,
      tenantIdIn: [q.tenantId],
      ...(q.processDefinitionKey ? { processDefinitionKey: q.processDefinitionKey } : {}),
    });
  }

  queryTasks(q: TaskQuery, page: { firstResult: number; maxResults: number }): Promise<EngineTask[]> {
    const params = new URLSearchParams({
      firstResult: String(page.firstResult),
      maxResults: String(page.maxResults),
    });
    return this.request('POST', `/task?${params}`, q);
  }

  async countTasks(q: TaskQuery): Promise<number> {
    const { sorting: _sorting, ...rest } = q;
    return (await this.request<{ count: number }>('POST', '/task/count', rest)).count;
  }

  async getTask(id: string): Promise<EngineTask | null> {
    try {
      return await this.request<EngineTask>('GET', `/task/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof EngineError && err.status === 404) return null;
      throw err;
    }
  }

  /** How a task ended (`completed`, `deleted`, …) and when; null while it runs or when history has none. */
  async taskEnd(id: string): Promise<{ deleteReason: string | null; endTime: string } | null> {
    const params = new URLSearchParams({ taskId: id });
    const [h] = await this.request<Array<{ deleteReason: string | null; endTime: string | null }>>(
      'GET',
      `/history/task?${params}`,
    );
    return h?.endTime ? { deleteReason: h.deleteReason, endTime: h.endTime } : null;
  }

  async getCandidateGroups(taskId: string): Promise<string[]> {
    const links = await this.request<Array<{ type: string; groupId: string | null }>>(
      'GET',
      `/task/${encodeURIComponent(taskId)}/identity-links?type=candidate`,
    );
    return links.map((l) => l.groupId).filter((g): g is string => !!g);
  }

  /**
   * Claims, hand-overs and unclaims retry optimistic-locking conflicts like every other change of a task (two
   * submits at once collide in the engine; the second then sees the first's claim, or its own, as it should).
   */
  claim(taskId: string, userId: string): Promise<void> {
    return retryingConflicts(() =>
      this.request('POST', `/task/${encodeURIComponent(taskId)}/claim`, { userId }),
    );
  }

  /** Hands a task to another user (or back to its groups with null), whoever holds it now. */
  setAssignee(taskId: string, userId: string | null): Promise<void> {
    return retryingConflicts(() =>
      this.request('POST', `/task/${encodeURIComponent(taskId)}/assignee`, { userId }),
    );
  }

  unclaim(taskId: string): Promise<void> {
    return retryingConflicts(() => this.request('POST', `/task/${encodeURIComponent(taskId)}/unclaim`, {}));
  }

  complete(taskId: string, variables: Variables): Promise<void> {
    return retryingConflicts(() =>
      this.request('POST', `/task/${encodeURIComponent(taskId)}/complete`, {
        variables: toTypedVariables(variables),
      }),
    );
  }

  activityHistory(processInstanceId: string): Promise<HistoricActivity[]> {
    const params = new URLSearchParams({ processInstanceId, sortBy: 'startTime', sortOrder: 'asc' });
    return this.request('GET', `/history/activity-instance?${params}`);
  }

  deleteProcessInstance(id: string, reason: string): Promise<void> {
    const params = new URLSearchParams({ skipCustomListeners: 'true', deleteReason: reason });
    return this.request('DELETE', `/process-instance/${encodeURIComponent(id)}?${params}`);
  }

  /** Running instances by id (sub-process instances included), for their business keys. */
  processInstancesByIds(tenantId: string, ids: string[]): Promise<ProcessInstance[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.request('POST', '/process-instance', { processInstanceIds: ids, tenantIdIn: [tenantId] });
  }

  /**
   * Moves the pending timers of an instance's activities (e.g. the legal clock's timer start events when the due
   * date moved) to new instants. Returns how many timer jobs moved; an activity without a pending timer is skipped.
   */
  async moveTimers(processInstanceId: string, dueByActivity: Record<string, string>): Promise<number> {
    let moved = 0;
    for (const [activityId, due] of Object.entries(dueByActivity)) {
      const params = new URLSearchParams({ processInstanceId, activityId, timers: 'true' });
      const jobs = await this.request<Array<{ id: string; dueDate: string | null }>>('GET', `/job?${params}`);
      // The REST API takes `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (offset without a colon).
      const duedate = new Date(due).toISOString().replace('Z', '+0000');
      for (const j of jobs) {
        await retryingConflicts(() =>
          this.request('PUT', `/job/${encodeURIComponent(j.id)}/duedate`, { duedate }),
        );
        moved++;
      }
    }
    return moved;
  }

  /**
   * Moves every pending timer of these instances that is due at one of the `from` instants to its `to` instant
   * (the case's clock after its due date was recomputed, whatever activity holds the timer). Idempotent: a timer
   * already moved no longer matches. Returns how many moved.
   */
  async moveTimersDueAt(
    processInstanceIds: string[],
    moves: Array<{ from: string; to: string }>,
  ): Promise<number> {
    const byFrom = new Map(moves.filter((m) => m.from !== m.to).map((m) => [Date.parse(m.from), m.to]));
    if (byFrom.size === 0) return 0;
    let moved = 0;
    for (const processInstanceId of processInstanceIds) {
      const params = new URLSearchParams({ processInstanceId, timers: 'true' });
      const jobs = await this.request<Array<{ id: string; dueDate: string | null }>>('GET', `/job?${params}`);
      for (const j of jobs) {
        const to = j.dueDate
          ? byFrom.get(Date.parse(j.dueDate.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')))
          : undefined;
        if (!to) continue;
        const duedate = new Date(to).toISOString().replace('Z', '+0000');
        await this.request('PUT', `/job/${encodeURIComponent(j.id)}/duedate`, { duedate });
        moved++;
      }
    }
    return moved;
  }

  /** Pending timer jobs of an instance's activity (their due instants), e.g. to check where a clock stands. */
  async timerDueDates(processInstanceId: string, activityId: string): Promise<string[]> {
    const params = new URLSearchParams({ processInstanceId, activityId, timers: 'true' });
    const jobs = await this.request<Array<{ dueDate: string | null }>>('GET', `/job?${params}`);
    return jobs.map((j) => j.dueDate).filter((d): d is string => !!d);
  }

  /** The ids of the activities an instance is in now (leaves of its activity instance tree). */
  async activeActivityIds(processInstanceId: string): Promise<string[]> {
    interface Node {
      activityId: string;
      childActivityInstances: Node[];
    }
    const tree = await this.request<Node>(
      'GET',
      `/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`,
    );
    const out: string[] = [];
    const walk = (n: Node) => {
      if (!n.childActivityInstances.length) out.push(n.activityId);
      n.childActivityInstances.forEach(walk);
    };
    tree.childActivityInstances.forEach(walk);
    return out;
  }

  listDeployments(tenantId: string): Promise<Deployment[]> {
    return this.request(
      'GET',
      `/deployment?tenantIdIn=${encodeURIComponent(tenantId)}&sortBy=deploymentTime&sortOrder=desc`,
    );
  }

  async getBpmnXml(processDefinitionId: string): Promise<string> {
    const r = await this.request<{ bpmn20Xml: string }>(
      'GET',
      `/process-definition/${encodeURIComponent(processDefinitionId)}/xml`,
    );
    return r.bpmn20Xml;
  }

  listProcessDefinitions(tenantId: string): Promise<Definition[]> {
    const params = new URLSearchParams({ tenantIdIn: tenantId, sortBy: 'version', sortOrder: 'desc' });
    return this.request('GET', `/process-definition?${params}`);
  }

  listDecisionDefinitions(tenantId: string): Promise<Definition[]> {
    const params = new URLSearchParams({ tenantIdIn: tenantId, sortBy: 'version', sortOrder: 'desc' });
    return this.request('GET', `/decision-definition?${params}`);
  }

  /** A process or decision definition by id, or null when there is none. */
  async getDefinition(kind: 'process' | 'decision', id: string): Promise<Definition | null> {
    try {
      return await this.request<Definition>('GET', `/${kind}-definition/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof EngineError && err.status === 404) return null;
      throw err;
    }
  }

  async getDmnXml(decisionDefinitionId: string): Promise<string> {
    const r = await this.request<{ dmnXml: string }>(
      'GET',
      `/decision-definition/${encodeURIComponent(decisionDefinitionId)}/xml`,
    );
    return r.dmnXml;
  }

  /**
   * Running instances of each of these process definitions of one tenant. One indexed count per definition: the
   * engine's /process-definition/statistics has no tenant filter and grows with every tenant's definitions.
   */
  async runningInstanceCounts(
    tenantId: string,
    processDefinitionIds: string[],
  ): Promise<Map<string, number>> {
    const counts = await Promise.all(
      processDefinitionIds.map(async (id) => {
        const q = new URLSearchParams({ processDefinitionId: id, tenantIdIn: tenantId });
        const r = await this.request<{ count: number }>('GET', `/process-instance/count?${q}`);
        return [id, r.count] as const;
      }),
    );
    return new Map(counts);
  }

  /** Per activity of one process definition: how many instances wait there now. */
  activityStatistics(processDefinitionId: string): Promise<ActivityStatistics[]> {
    return this.request(
      'GET',
      `/process-definition/${encodeURIComponent(processDefinitionId)}/statistics?incidents=true`,
    );
  }
}
