#!/bin/sh
# Fails when a user-visible string has no Vietnamese translation: Vietnamese
# is the default language, so an English string on screen is a bug. Extracts
# the strings from the sources as they are now, merges them into vi.po and
# counts what is untranslated or fuzzy; also fails when a file with
# translatable strings is missing from POTFILES.in.
src="${FK_SOURCE_ROOT:?}"
potfiles="$src/assets/po/POTFILES.in"
command -v xgettext >/dev/null 2>&1 || exit 77
cd "$src" || exit 99
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  candidates=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.ui')
else
  candidates=$(find app cli core hw paper server store sync assets -name '*.c' -o -name '*.ui')
fi
status=0
for f in $candidates; do
  [ -f "$f" ] || continue
  if grep -qE '(^|[^A-Za-z0-9_])(N?C?_)\(|translatable="yes"' "$f" && ! grep -qx "$f" "$potfiles"; then
    echo "has translatable strings but is not in POTFILES.in: $f"
    status=1
  fi
done

sed -e 's/#.*//' -e '/^$/d' "$potfiles" > "$work/files"
xgettext --from-code=UTF-8 --files-from="$work/files" --directory="$src" -o "$work/fieldkit.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --keyword=ngettext:1,2 --add-comments=Translators || exit 1
msgmerge --quiet --no-fuzzy-matching "$src/assets/po/vi.po" "$work/fieldkit.pot" -o "$work/merged.po" || exit 1
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$work/merged.po" 2>&1) || { echo "$stats"; exit 1; }
echo "$stats"
case "$stats" in
  *fuzzy*|*untranslated*)
    msgattrib --untranslated --only-fuzzy "$work/merged.po" 2>/dev/null | grep '^msgid' | head -50
    msgattrib --untranslated "$work/merged.po" | grep -A1 '^msgid' | head -80
    exit 1 ;;
esac
exit $status
