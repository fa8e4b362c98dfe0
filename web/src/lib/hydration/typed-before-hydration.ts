/**
 * Keeps what a person typed into a server-rendered form before the page's script started.
 *
 * Svelte 5 writes every `value={…}` and `<textarea>{…}</textarea>` once while it hydrates, whatever the field
 * holds by then (sveltejs/kit#8895): on a slow phone an e-mail address or a long description typed during the
 * download was wiped, and a `required` field then silently blocked the submit. `snapshot()` runs in the client
 * hook's `init`, just before hydration; `restore()` runs once the root layout is mounted, after every field was
 * written, and puts back what the person had typed. An `input` event tells bound fields about it.
 */

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
type Typed = { field: Field; value: string; checked: boolean };

const CHECKABLE = new Set(['checkbox', 'radio']);
const NOT_TYPED = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

let typed: Typed[] = [];

function changedByPerson(field: Field): boolean {
  if (field instanceof HTMLSelectElement)
    return [...field.options].some((o) => o.selected !== o.defaultSelected);
  if (field instanceof HTMLInputElement && CHECKABLE.has(field.type))
    return field.checked !== field.defaultChecked;
  return field.value !== field.defaultValue;
}

/** Remembers every field whose content differs from what the server sent. */
export function snapshot(doc: Document = document): void {
  typed = [];
  for (const field of doc.querySelectorAll<Field>('input, textarea, select')) {
    if (field instanceof HTMLInputElement && NOT_TYPED.has(field.type)) continue;
    if (!changedByPerson(field)) continue;
    typed.push({ field, value: field.value, checked: 'checked' in field ? field.checked : false });
  }
}

/** Puts the remembered content back where hydration replaced it. Runs once; later navigations are not touched. */
export function restore(): void {
  for (const { field, value, checked } of typed) {
    if (!field.isConnected) continue;
    const checkable = field instanceof HTMLInputElement && CHECKABLE.has(field.type);
    if (checkable ? field.checked === checked : field.value === value) continue;
    if (checkable) field.checked = checked;
    else field.value = value;
    field.dispatchEvent(new Event(checkable ? 'change' : 'input', { bubbles: true }));
  }
  typed = [];
}
