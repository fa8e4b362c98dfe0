import adapter from '@sveltejs/adapter-node';

/**
 * The web pages are built into web/build (adapter-node) and mounted by the fastify server (server/app.ts) for every
 * URL outside /api. The server sets process.env.ORIGIN to its public URL before importing build/handler.js, so
 * SvelteKit's form-submission origin check compares against the real public origin.
 *
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  kit: {
    adapter: adapter({ out: 'build', precompress: false }),
    // The CSRF origin check is on (the default). `csrf.checkOrigin` is deprecated in SvelteKit 2.70 in favour of
    // `trustedOrigins`; an empty list means no other origin may submit forms to these pages.
    csrf: { trustedOrigins: [] },
    // Content Security Policy, sent as a header on every page: scripts only from this origin or carrying the nonce
    // SvelteKit puts on its own inline bootstrap (a fresh one per response; 'auto' uses hashes for prerendered
    // pages, we have none). Inline styles stay allowed: bpmn-js and dmn-js in the designer position their canvas,
    // overlays and palettes with style attributes, and Svelte's transitions write styles too. No framing by anyone
    // (clickjacking), no plugins, forms post only to us.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
    // The code lists the server defines (categories, statuses, job roles...) with their labels, shared rather
    // than copied; that folder imports nothing, so no server code reaches the pages.
    alias: { $codes: '../server/codes' },
  },
};

export default config;
