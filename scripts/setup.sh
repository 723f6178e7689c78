#!/usr/bin/env bash
# Install the project into .venv, build the warehouse from the real data, print the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export ALLIANCE_DATA="${ALLIANCE_DATA:-$(cd .. && pwd)/shared/data}"
.venv/bin/alliance data import
.venv/bin/alliance data sources
