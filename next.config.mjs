// JavaScript, not TypeScript: `next start` transpiles a next.config.ts with SWC's native binding on
// every start, which then stays mapped for the life of the server, ~25 MB of RSS measured here.

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native and WASM packages must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@jitl/quickjs-wasmfile-release-sync", "@neondatabase/serverless", "amqplib", "mqtt", "quickjs-emscripten-core", "ws"],
  // QuickJS finds its .wasm beside its own file by a computed path, which file tracing cannot
  // follow: name it for the functions that run or preview transforms, so Vercel ships it.
  outputFileTracingIncludes: {
    "/api/deliver/**": ["./node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm"],
    "/api/destinations/**": ["./node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm"],
  },
  poweredByHeader: false,
  // Vercel's edge compresses responses; compressing 200-byte JSON answers in the function only costs CPU.
  compress: false,
  reactStrictMode: true,
};

export default nextConfig;
