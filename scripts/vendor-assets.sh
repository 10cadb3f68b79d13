#!/usr/bin/env sh
# Copy the front-end libraries from node_modules into static/vendor (used by the Makefile and the Dockerfile alike).
# The source maps go with the files that name them: the production static storage (ManifestStaticFilesStorage)
# rewrites every sourceMappingURL to a hashed name and refuses to build when the map is missing.
set -eu
mkdir -p static/vendor
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
   node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js static/vendor/
