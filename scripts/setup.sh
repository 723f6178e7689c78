#!/usr/bin/env bash
# Install the project into .venv, build the warehouse from the real data, and print this fiscal
# year's Alliance Districts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/system-packages.sh
export ALLIANCE_DATA="${ALLIANCE_DATA:-$(cd .. && pwd)/shared/data}"
.venv/bin/alliance data import
.venv/bin/alliance designate
