const dev = process.env.NODE_ENV === "development";

// 'unsafe-inline' scripts: Next's App Router inlines its RSC payload; nonces would force every page (404 and
// static ones included) to render per request. Styles: recharts and Next set inline styles.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Strict-Transport-Security", value: "max-age=31536000" },
];

// The test command's build (scripts/lib/app.ts, `ensureBuilt(…, true)`): `npm test` runs `tsc --noEmit` first, and
// the build is thrown away after, so neither Next's own type check nor its build cache is worth their time there.
const testBuild = process.env.TL_TEST_BUILD === "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "@node-rs/argon2"],
  poweredByHeader: false,
  // Engineers building side by side in one checkout give each build its own folder.
  distDir: process.env.TL_DIST_DIR || ".next",
  experimental: { authInterrupts: true, ...(testBuild ? { turbopackFileSystemCacheForBuild: false } : {}) },
  typescript: { ignoreBuildErrors: testBuild },
  headers: async () => [{ source: "/:path*", headers: securityHeaders }],
};
export default nextConfig;
