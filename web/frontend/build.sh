#!/bin/sh
# build.sh rebuilds the committed browser assets from the locked npm packages:
# web/static/js, web/static/css and web/testdata/axe.min.js. It needs Node and npm; serving does not.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
