// camunda-external-task-client-js@3.1.0 ships no types: the subset server/engine/external-tasks.ts uses, typed
// once here (nothing outside server/engine imports the library: eslint.config.js).
declare module 'camunda-external-task-client-js' {
  import type { EventEmitter } from 'node:events';

  export interface ExternalTask {
    id: string;
    topicName: string;
    processInstanceId: string;
    processDefinitionKey: string;
    businessKey: string | null;
    tenantId: string | null;
    retries: number | null;
    workerId: string;
    variables: { get(name: string): unknown; getAll(): Record<string, unknown> };
  }

  export class Variables {
    set(name: string, value: unknown): this;
    setAll(values: Record<string, unknown>): this;
  }

  export interface TaskService {
    complete(task: ExternalTask, processVariables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(
      task: ExternalTask,
      options: { errorMessage: string; errorDetails?: string; retries: number; retryTimeout: number },
    ): Promise<void>;
    handleBpmnError(
      task: ExternalTask,
      errorCode: string,
      errorMessage?: string,
      variables?: Variables,
    ): Promise<void>;
    extendLock(task: ExternalTask, newDuration: number): Promise<void>;
  }

  export type Handler = (args: { task: ExternalTask; taskService: TaskService }) => Promise<void>;

  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    tenantIdIn?: string[];
    processDefinitionKey?: string;
  }

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    interceptors?: Array<(config: Record<string, unknown>) => Record<string, unknown>>;
    use?: Array<(client: Client) => void>;
  }

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    /** The library's HTTP layer (lib/__internal/EngineService.js): every call it makes goes through `request`. */
    engineService: {
      request(method: string, path: string, options?: { json?: unknown }): Promise<unknown>;
    };
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): { unsubscribe(): void };
    start(): void;
    stop(): void;
  }

  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
}
