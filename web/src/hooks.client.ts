import type { ClientInit } from '@sveltejs/kit';
import { snapshot } from '$lib/hydration/typed-before-hydration';

/** Runs once, after the page's script loaded and before Svelte hydrates the server-rendered page. */
export const init: ClientInit = () => {
  snapshot();
};
