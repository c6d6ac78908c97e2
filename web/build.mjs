// Builds the booking widget: one minified script, bundled with Preact by esbuild (nothing is
// fetched at run time but the API and, for payments, Stripe.js).
//
//   node web/build.mjs            -> web/dist/widget/reservoir-widget.js (+ a content-hashed copy
//                                    and manifest.json naming it, for long-lived caching), and
//                                    Swagger UI's files into chalicelib/web/docs_assets/
//
// RESERVOIR_WIDGET_API sets the API address the widget calls when its tag names none.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist", "widget");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "widget", "main.tsx")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  define: { __RESERVOIR_API__: JSON.stringify(process.env.RESERVOIR_WIDGET_API ?? "") },
  legalComments: "none",
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].contents;
const hash = createHash("sha256").update(code).digest("hex").slice(0, 12);
const versioned = `reservoir-widget.${hash}.js`;
writeFileSync(join(out, "reservoir-widget.js"), code);
writeFileSync(join(out, versioned), code);
writeFileSync(join(out, "manifest.json"), JSON.stringify({ widget: versioned }, null, 2) + "\n");
console.log(`widget: ${versioned} (${code.length} bytes)`);

// The API reference page's Swagger UI (chalicelib/web/docs_page.py), served by the API itself.
const docs = join(here, "..", "chalicelib", "web", "docs_assets");
mkdirSync(docs, { recursive: true });
const swagger = join(here, "..", "node_modules", "swagger-ui-dist");
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, name), join(docs, name));
}
console.log(`docs: Swagger UI into ${docs}`);
