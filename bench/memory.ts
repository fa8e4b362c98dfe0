/**
 * Resident memory of this benchmark's process and of what it started (the engine's JVM, PostgreSQL's processes, a
 * mail server), read from /proc. Proportional set size (PSS, /proc/<pid>/smaps_rollup) rather than RSS, so that
 * PostgreSQL's shared buffers, mapped by every backend, count once. On a system without /proc it prints nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  name: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      out.push({ pid, ppid, name });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function pssKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const line = rollup.split('\n').find((l) => l.startsWith('Pss:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * `measure` summed over `root` (as `node`) and its descendants, by `kindOf` each; null without /proc. One walk for
 * the CPU and the memory figures.
 */
function sumOverTree(
  root: number,
  measure: (pid: number) => number,
  kindOf: (p: Proc) => string,
): Record<string, number> | null {
  let all: Proc[];
  try {
    all = processes();
  } catch {
    return null;
  }
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const totals: Record<string, number> = { node: measure(root) };
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    stack.push(...(children.get(p.pid) ?? []));
    const kind = kindOf(p);
    totals[kind] = (totals[kind] ?? 0) + measure(p.pid);
  }
  return totals;
}

/** Seconds of CPU (user + system, /proc/<pid>/stat at 100 ticks/s) used so far, per kind of process as below. */
export function cpuByProcess(): Record<string, number> | null {
  const seconds = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After ")": state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12 here.
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return 0;
    }
  };
  return sumOverTree(process.pid, seconds, (p) =>
    p.name === 'java' ? 'engine' : p.name.startsWith('postgres') ? 'postgres' : `other (${p.name})`,
  );
}

/**
 * `cpu (label): node 4.1 s, engine 2.0 s, …`: the CPU each kind of process used since `before` (cpuByProcess).
 * Given the number of operations, it also prints each kind's milliseconds per operation, the figure that says where
 * an operation's cost lies when everything shares the same cores.
 */
export function printCpuSince(
  label: string,
  before: Record<string, number> | null,
  operations?: number,
): void {
  const now = cpuByProcess();
  if (!now || !before) return;
  const used = Object.entries(now)
    .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
    .filter(([, v]) => v >= 0.05);
  const parts = used.map(([k, v]) => `${k} ${v.toFixed(1)} s`);
  console.log(`cpu (${label}): ${parts.join(', ')}`);
  if (!operations) return;
  const total = used.reduce((a, [, v]) => a + v, 0);
  const per = used.map(([k, v]) => `${k} ${((1000 * v) / operations).toFixed(1)}`);
  console.log(
    `cpu per operation (${label}): ${per.join(', ')}, total ${((1000 * total) / operations).toFixed(1)} ms`,
  );
}

/**
 * MiB per kind of process: `root` (default this one, as `node`), and its descendants grouped as engine, postgres
 * and the rest by command name.
 */
export function memoryByProcess(root = process.pid): Record<string, number> | null {
  const totals = sumOverTree(root, pssKiB, (p) =>
    p.name === 'java'
      ? 'engine'
      : p.name.startsWith('postgres')
        ? 'postgres'
        : p.name === 'node' || p.name === 'MainThread'
          ? 'node'
          : `other (${p.name})`,
  );
  if (!totals) return null;
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v / 1024)]));
}

/** `memory (label): node 180 MiB, engine 420 MiB, postgres 90 MiB, total 690 MiB`. */
export function printMemory(label: string, root?: number): void {
  const m = memoryByProcess(root);
  if (!m) return;
  const total = Object.values(m).reduce((a, b) => a + b, 0);
  const parts = Object.entries(m).map(([k, v]) => `${k} ${v} MiB`);
  console.log(`memory (${label}): ${parts.join(', ')}, total ${total} MiB`);
}
