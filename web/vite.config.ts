import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    // SvelteKit needs cookie@0.6 (its own nested copy); the root node_modules/cookie is v2 (fastify's), whose API
    // differs. Bundling it makes Vite resolve it from SvelteKit's own folder instead of the project root.
    noExternal: ['cookie'],
  },
  // `vite dev` is only for working on markup; the pages need the API bridge that server/main.ts installs.
  server: { port: 5173, strictPort: true },
});
