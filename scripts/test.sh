#!/usr/bin/env bash
# Install, then run every test suite (quick and slow: real data, reports) and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/system-packages.sh
export ALLIANCE_DATA="${ALLIANCE_DATA:-$(cd .. && pwd)/shared/data}"
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -m "slow or not slow" "$@"
