import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The web app: built into dist/web and served by the Keel server at `/`. */
export default defineConfig({
  root: "src/web",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    // Routes are split into their own chunks; the largest is the dashboard's (its chart library),
    // which loads only with that page. The first load is measured in docs/benchmarks.md.
    chunkSizeWarningLimit: 450,
  },
  server: {
    // `npm run dev:web` serves the app with hot reload and sends API calls to `npm run dev`.
    proxy: { "/api/v1": "http://127.0.0.1:3000" },
  },
});
