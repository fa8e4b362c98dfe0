/**
 * Keeps what a person typed into a server-rendered form before the page's script started.
 *
 * Svelte 5 writes every `value={…}` and `<textarea>{…}</textarea>` once while it hydrates, whatever the field
 * holds by then (sveltejs/kit#8895): on a slow phone an e-mail address or a long description typed during the
 * download was wiped, and a `required` field then silently blocked the submit. `snapshot()` runs in the client
 * hook's `init` and takes what was typed before the script ran; from then on it listens to what is typed while
 * the page's own code still loads (SvelteKit imports it after `init`, and hydrates only once it arrived: a full
 * CI run typed in that window). `restore()` runs once the root layout is mounted, after every field was written,
 * and puts back what the person had typed. An `input` event tells bound fields about it.
 */

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
type Typed = { field: Field; value: string; checked: boolean };

const CHECKABLE = new Set(['checkbox', 'radio']);
const NOT_TYPED = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

let typed = new Map<Field, Typed>();
let doc: Document | undefined;

function isTypedField(target: EventTarget | null): target is Field {
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function remember(field: Field): void {
  typed.set(field, { field, value: field.value, checked: 'checked' in field ? field.checked : false });
}

/** What the person types between `snapshot()` and `restore()`; hydration's own writes fire no event. */
function onTyped(event: Event): void {
  if (isTypedField(event.target)) remember(event.target);
}

function changedByPerson(field: Field): boolean {
  if (field instanceof HTMLSelectElement)
    return [...field.options].some((o) => o.selected !== o.defaultSelected);
  if (field instanceof HTMLInputElement && CHECKABLE.has(field.type))
    return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

/** Remembers every field whose content differs from what the server sent, and what is typed from now on. */
export function snapshot(target: Document = document): void {
  typed = new Map();
  for (const field of target.querySelectorAll<Field>('input, textarea, select')) {
    if (isTypedField(field) && changedByPerson(field)) remember(field);
  }
  doc = target;
  doc.addEventListener('input', onTyped, true);
  doc.addEventListener('change', onTyped, true);
}

/** Puts the remembered content back where hydration replaced it. Runs once; later navigations are not touched. */
export function restore(): void {
  doc?.removeEventListener('input', onTyped, true);
  doc?.removeEventListener('change', onTyped, true);
  doc = undefined;
  for (const { field, value, checked } of typed.values()) {
    if (!field.isConnected) continue;
    const checkable = field instanceof HTMLInputElement && CHECKABLE.has(field.type);
    if (checkable ? field.checked === checked : field.value === value) continue;
    if (checkable) field.checked = checked;
    else field.value = value;
    field.dispatchEvent(new Event(checkable ? 'change' : 'input', { bubbles: true }));
  }
  typed = new Map();
}
