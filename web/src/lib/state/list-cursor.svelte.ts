/**
 * Keyboard movement through a list of links (the inbox rows): j/k or the arrow keys move the focus, Enter opens
 * the focused link (native). One instance per component; the DOM stays the source of truth for the focus.
 */
export class ListCursor {
  index = $state(-1);
  #root: HTMLElement | null = null;
  #selector: string;

  constructor(selector: string) {
    this.#selector = selector;
  }

  attach(root: HTMLElement | null) {
    this.#root = root;
  }

  #items(): HTMLElement[] {
    return this.#root ? [...this.#root.querySelectorAll<HTMLElement>(this.#selector)] : [];
  }

  move(delta: number) {
    const items = this.#items();
    if (items.length === 0) return;
    const current = items.indexOf(document.activeElement as HTMLElement);
    const from = current >= 0 ? current : this.index;
    const next =
      from < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, from + delta));
    this.index = next;
    items[next]?.focus();
    items[next]?.scrollIntoView({ block: 'nearest' });
  }

  /** Window keydown: j/k anywhere except in form fields; arrows only while the focus is in the list. */
  onKeydown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
    const inList = !!t && !!this.#root?.contains(t);
    if (e.key === 'j' || (inList && e.key === 'ArrowDown')) {
      e.preventDefault();
      this.move(1);
    } else if (e.key === 'k' || (inList && e.key === 'ArrowUp')) {
      e.preventDefault();
      this.move(-1);
    }
  };
}
