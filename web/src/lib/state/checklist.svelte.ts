/**
 * The ticked steps of a work instruction (the server keeps them per task; see InstructionPanel). One instance per
 * component, never a module-level singleton: on the server that would be shared between users.
 */
export class Checklist {
  #done: boolean[] = $state([]);

  constructor(count: number, done: number[] = []) {
    this.#done = Array.from({ length: count }, (_, i) => done.includes(i));
  }

  get count(): number {
    return this.#done.length;
  }

  isDone(i: number): boolean {
    return this.#done[i] ?? false;
  }

  set(i: number, value: boolean): void {
    if (i >= 0 && i < this.#done.length) this.#done[i] = value;
  }

  ticked = $derived(this.#done.filter(Boolean).length);
  complete = $derived(this.#done.length > 0 && this.#done.every(Boolean));
}
