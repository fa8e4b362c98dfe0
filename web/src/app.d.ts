// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Me } from '$lib/api/types';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** The signed-in staff member (from GET /api/auth/me), or null for public visitors. */
      user: Me | null;
    }
    interface PageData {
      /** Set by each page's load; the root layout puts it in <title>. */
      meta?: { title: string };
      /** Today in Europe/Bucharest (YYYY-MM-DD), from the root layout: one "today" for server and browser. */
      today?: string;
      /** The last due date at risk today (the signed-in staff member's tenant), from the root layout. */
      riskUntil?: string | undefined;
    }
  }
}

export {};
