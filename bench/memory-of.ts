/**
 * `npx tsx bench/memory-of.ts <pid>`: the memory (PSS) of a running system, the process `pid` and everything it
 * started, by kind (Node, the engine, PostgreSQL, the mail server). For `npm start`, give the pid of `npm start`
 * itself (e.g. `pgrep -of "npm start"`): the demo must fit in 2 GB (bench/README.md, "Memory").
 */
import { printMemory } from './memory.ts';

const pid = Number(process.argv[2]);
if (!Number.isInteger(pid) || pid <= 0) {
  console.error('usage: npx tsx bench/memory-of.ts <pid of npm start>');
  process.exit(2);
}
printMemory(`process ${pid} and what it started`, pid);
