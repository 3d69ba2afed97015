#!/bin/sh
# Fails when a C source or header is not formatted as .clang-format says.
# Fix with: clang-format -i FILE…
cd "${FK_SOURCE_ROOT:?}" || exit 99
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed"; exit 77; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
else
  files=$(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print)
fi
[ -n "$files" ] || exit 0
# One process for all files; its messages name each file and line.
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files 2>&1 | grep -E '^[^ ].*: (error|warning):' | sed 's/: error: code should be clang-formatted.*//' | sort -u
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files >/dev/null 2>&1
