#!/bin/sh
# Fails when a library's private headers are reachable from outside it.
# A library keeps what only its own files share in LIB/private/ (meson adds
# that folder to the library's own include path, never to its dependency);
# only LIB/ and its tests (tests/LIB/, which add it visibly) may include
# those headers. Every *-private.h must live in such a folder.
cd "${FK_SOURCE_ROOT:?}" || exit 99
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
else
  files=$(find . -path './build*' -prune -o \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||')
fi
status=0

for f in $files; do
  case "$f" in
    */private/*) ;;
    *-private.h) echo "$f: a private header outside a private/ folder"; status=1 ;;
  esac
done

for dir in $(echo "$files" | grep '/private/' | sed 's|/private/.*||' | sort -u); do
  for header in $(echo "$files" | grep "^$dir/private/" | sed 's|.*/||'); do
    # shellcheck disable=SC2086
    for f in $(grep -lE "^#[[:space:]]*include[[:space:]]+[\"<]([^\">]*/)?$header[\">]" $files); do
      case "$f" in
        "$dir"/* | tests/"$dir"/*) ;;
        *) echo "$f includes $header, private to $dir/"; status=1 ;;
      esac
    done
  done
done
exit $status
