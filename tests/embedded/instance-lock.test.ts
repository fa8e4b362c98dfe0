import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDataDir } from '../../server/embedded/instance-lock.ts';
import { StartupError } from '../../server/embedded/startup-error.ts';

/**
 * One npm start per data folder (issue 11): a second start must not take the first one's PostgreSQL for a
 * leftover and stop it, while the folder of a run that died (kill -9) is taken over at once.
 */
describe('the data folder lock of npm start', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const folder = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'instance-lock-'));
    dirs.push(d);
    return d;
  };
  /** A process that lives until killed; `node` for a run of ours, `sleep` for a pid reused by something else. */
  const living = async (command: 'node' | 'sleep') => {
    const child =
      command === 'node'
        ? spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
        : spawn('sleep', ['600'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    return child;
  };
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses while the run holding the folder lives, naming it, and leaves its pid file alone', async () => {
    const dir = folder();
    const other = await living('node');
    writeFileSync(path.join(dir, 'npm-start.pid'), `${other.pid}\n`);
    let err: unknown;
    try {
      claimDataDir(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StartupError);
    expect((err as StartupError).message).toContain(`pid ${other.pid}`);
    expect((err as StartupError).fix).toContain(`kill ${other.pid}`);
    expect(readFileSync(path.join(dir, 'npm-start.pid'), 'utf8').trim()).toBe(String(other.pid));
  });

  it('takes over the folder of a run killed with kill -9, and of a pid now used by another program', async () => {
    for (const command of ['node', 'sleep'] as const) {
      const dir = folder();
      const before = await living(command);
      writeFileSync(path.join(dir, 'npm-start.pid'), `${before.pid}\n`);
      if (command === 'node') {
        const gone = new Promise((resolve) => before.once('exit', resolve));
        before.kill('SIGKILL');
        await gone;
      }
      const release = claimDataDir(dir);
      expect(readFileSync(path.join(dir, 'npm-start.pid'), 'utf8').trim(), command).toBe(String(process.pid));
      release();
      expect(existsSync(path.join(dir, 'npm-start.pid')), command).toBe(false);
    }
  });

  it('releases only its own claim: a pid file another run wrote meanwhile stays', () => {
    const dir = folder();
    const release = claimDataDir(dir);
    writeFileSync(path.join(dir, 'npm-start.pid'), '999999\n');
    release();
    expect(readFileSync(path.join(dir, 'npm-start.pid'), 'utf8').trim()).toBe('999999');
  });
});
