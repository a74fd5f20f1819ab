import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WASM packages must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@jitl/quickjs-wasmfile-release-sync", "@neondatabase/serverless", "amqplib", "mqtt", "quickjs-emscripten-core", "ws"],
  poweredByHeader: false,
  // Vercel's edge compresses responses; compressing 200-byte JSON answers in the function only costs CPU.
  compress: false,
  reactStrictMode: true,
};

export default nextConfig;
