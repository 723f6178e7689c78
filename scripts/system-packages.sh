#!/usr/bin/env bash
# Debian libraries the PDF reports need (WeasyPrint uses Pango); installed only when missing.
set -euo pipefail
needed=()
ldconfig -p | grep -q "libpango-1.0.so" || needed+=(libpango-1.0-0)
ldconfig -p | grep -q "libpangoft2-1.0.so" || needed+=(libpangoft2-1.0-0)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${needed[@]}"
  else
    echo "missing Debian packages for PDF reports: ${needed[*]} (install them with apt-get)" >&2
  fi
fi
