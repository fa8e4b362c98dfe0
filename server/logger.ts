/**
 * What the server's background parts log through (pino's shape): the outbox dispatchers, the workers, the mail
 * intake, the periodic jobs. One definition every module may import (server/ shared parts, .dependency-cruiser.cjs).
 */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}
