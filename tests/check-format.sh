#!/bin/sh
# Fails when a C source or header is not formatted as .clang-format says.
# Fix with: clang-format -i FILE…
cd "${FK_SOURCE_ROOT:?}" || exit 99
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed"; exit 77; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h')
else
  files=$(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print)
fi
bad=0
for f in $files; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run clang-format -i $f)"
    bad=1
  fi
done
exit $bad
