#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml): puts the SHA-256 of every inline <script> of the built
// index.html into its Content-Security-Policy, in place of the 'inline-script-hashes' placeholder.
// Trunk's loader (and `trunk serve`'s autoreload) are inline scripts whose text names the hashed
// file names, so their hashes are only known after the build. Fails the build when the policy or
// its placeholder is missing, so a page without its CSP is never produced.
//
// Usage: run by Trunk; by hand after something rewrote a built page: node scripts/csp-hashes.mjs dist
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const PLACEHOLDER = "'inline-script-hashes'";
const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error("csp-hashes: set TRUNK_STAGING_DIR or pass the built directory");
  process.exit(2);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");

const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
if (!meta) {
  console.error(`csp-hashes: ${file} has no Content-Security-Policy <meta>`);
  process.exit(1);
}
// A fresh build holds the placeholder; a page built before holds its hashes (rerun the script on
// dist/ after anything rewrote index.html, and they are replaced).
const HASHES = /'sha256-[A-Za-z0-9+/=]+'(\s+'sha256-[A-Za-z0-9+/=]+')*/;
const occurrences = meta[1].split(PLACEHOLDER).length - 1;
const slot = occurrences === 1 ? PLACEHOLDER : occurrences === 0 ? HASHES.exec(meta[1])?.[0] : null;
if (!slot) {
  console.error(`csp-hashes: the policy must hold ${PLACEHOLDER} (or hashes) exactly once`);
  process.exit(1);
}

// Every <script> without src: the browser hashes its text exactly as written (UTF-8).
const hashes = [];
for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
  if (/\bsrc\s*=/i.test(script[1])) continue;
  if (script.index < meta.index) {
    console.error("csp-hashes: an inline script comes before the policy, which would not cover it");
    process.exit(1);
  }
  hashes.push(`'sha256-${createHash("sha256").update(script[2], "utf8").digest("base64")}'`);
}
// Inline event handlers cannot be allowed by hash without 'unsafe-hashes': there must be none.
if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) {
  console.error("csp-hashes: an inline event handler (on…=) would be refused by the policy");
  process.exit(1);
}

const policy = meta[1].replace(slot, [...new Set(hashes)].join(" "));
const tag = meta[0].replace(meta[1], policy);
writeFileSync(file, html.slice(0, meta.index) + tag + html.slice(meta.index + meta[0].length));
console.log(`csp-hashes: ${hashes.length} inline script(s) allowed by hash in ${file}`);
