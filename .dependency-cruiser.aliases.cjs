// The SvelteKit aliases of web/svelte.config.js ($lib, and $codes for the shared code lists), for
// dependency-cruiser only: without them every `$lib/…` import of a page is unresolved and its rules do not see it.
// (Not in the root tsconfig.json: the server must not be able to import web code by alias.)
module.exports = {
  resolve: {
    alias: {
      $lib: `${__dirname}/web/src/lib`,
      $codes: `${__dirname}/server/codes`,
    },
    extensions: ['.ts', '.js', '.svelte', '.json'],
  },
};
