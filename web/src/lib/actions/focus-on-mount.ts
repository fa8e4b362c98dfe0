/**
 * Moves keyboard and screen-reader focus to an element when it appears (a result heading after a search or a
 * registration). The element needs tabindex="-1". SvelteKit leaves focus alone when a page moved it itself.
 */
export function focusOnMount(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) queueMicrotask(() => node.focus());
}
