#!/usr/bin/env bash
# The benchmark suite in one command: imagine vs openai-java on the embedded local backend.
#   bench/run.sh            full run (about 25 minutes on 2 cores), rewrites docs/benchmarks.md
#   bench/run.sh --quick    smoke run on tiny settings (under a minute), writes bench/target/benchmarks-quick.md
# Other options (--reps N, --scenarios concurrent,large,overhead,inflight,decode,terminal, --clients ..., --concurrency 1,16,...,
# --backend auto|local|standin, --out FILE) are described in bench/src/main/java/dev/imagine/bench/BenchMain.java.
set -euo pipefail
cd "$(dirname "$0")/.."

# The sixel reference encoder: install it when we can (Debian, root), otherwise the report says it was skipped.
if ! command -v img2sixel >/dev/null 2>&1 && [[ "$*" != *--quick* ]] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing libsixel-bin (img2sixel) for the sixel reference..." >&2
  (apt-get install -y -q libsixel-bin >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libsixel-bin >/dev/null 2>&1; }) \
    || echo "could not install img2sixel: the sixel reference will be skipped" >&2
fi

echo "building: the library (root project, installed to the local Maven repository), then bench/ ..." >&2
./mvnw -q -B -DskipTests install
./mvnw -q -B -f bench/pom.xml -DskipTests package
exec java -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.imagine.bench.BenchMain "$@"
