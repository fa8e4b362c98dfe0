// async-exit-hook ships no types; the one call we make (see postgres.ts).
declare module 'async-exit-hook' {
  const exitHook: { unhookEvent(event: string): void };
  export default exitHook;
}
