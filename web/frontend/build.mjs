// build.mjs bundles src/ into ../static (scripts under js/, stylesheets and KaTeX's woff2 fonts
// under css/) and copies axe-core for the browser tests into ../testdata. Run it with
// `npm ci && npm run build` (or sh build.sh); commit what it writes.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = "../static";
// The build owns these files and no others: web/static also holds hand-written files (style.css,
// graph.css, js/verdict.js) that it must leave alone.
const bundles = ["js/editor.js", "js/math.js", "css/math.css", "css/editor.css"];
for (const f of bundles) rmSync(`${out}/${f}.gz`, { force: true });
rmSync(`${out}/css/fonts`, { recursive: true, force: true });

// KaTeX's stylesheet lists each font as woff2, woff and ttf; keep woff2 alone so that only those
// files are shipped.
const woff2Only = {
  name: "woff2-only",
  setup(build) {
    build.onLoad({ filter: /katex\.min\.css$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/,url\([^)]*\.(woff|ttf)\) format\("(woff|truetype)"\)/g, ""),
      loader: "css",
    }));
  },
};

const common = { bundle: true, minify: true, legalComments: "none", target: ["es2020"], logLevel: "info" };
await esbuild.build({ ...common, entryPoints: ["src/editor.js", "src/math.js"], outdir: `${out}/js`, format: "iife" });
await esbuild.build({
  ...common, entryPoints: ["src/math.css", "src/editor.css"], outdir: `${out}/css`,
  loader: { ".woff2": "file" }, assetNames: "fonts/[name]", plugins: [woff2Only],
});

mkdirSync("../testdata", { recursive: true });
copyFileSync("node_modules/axe-core/axe.min.js", "../testdata/axe.min.js");

// The bundled packages' licences travel with the bundles.
const licences = ["@codemirror/commands", "@codemirror/lang-go", "@codemirror/language", "@codemirror/state",
  "@codemirror/view", "@codemirror/autocomplete", "@lezer/common", "@lezer/go", "@lezer/highlight", "@lezer/lr",
  "crelt", "style-mod", "w3c-keyname", "@marijn/find-cluster-break", "katex"]
  .map((pkg) => {
    const dir = `node_modules/${pkg}`;
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    return `== ${pkg} ==\n\n${readFileSync(`${dir}/${file}`, "utf8")}`;
  });
writeFileSync(`${out}/js/THIRD-PARTY-LICENSES.txt`, licences.join("\n\n"));

// A gzip copy of each bundle, which web/assets sends to browsers that accept it.
for (const f of bundles) {
  writeFileSync(`${out}/${f}.gz`, gzipSync(readFileSync(`${out}/${f}`), { level: 9 }));
}
