#!/usr/bin/env bash
# Brings a project's PublicAPI.Unshipped.txt in line with its code: adds the symbols the public API
# analyzer reports as undeclared (RS0016); of the ones it reports as gone (RS0017), drops those that
# were never shipped and records those listed in PublicAPI.Shipped.txt as *REMOVED* lines, which a review
# must see as a break. Review the diff it leaves: every line is a public API change.
# Usage: eng/update-public-api.sh [project-dir]   (default: src/BillingImports)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project_dir=${1:-src/BillingImports}
cd "$root/$project_dir"
unshipped=PublicAPI.Unshipped.txt
shipped=PublicAPI.Shipped.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -p:TreatWarningsAsErrors=false lets every RS0016/RS0017 surface in one pass instead of stopping at the first error.
dotnet build --no-incremental -p:TreatWarningsAsErrors=false -clp:NoSummary >"$log" 2>&1 || true
added=$(grep -oE "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u || true)
removed=$(grep -oE "RS0017: Symbol '.*' is part of the declared API" "$log" \
  | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API$/\1/" | sort -u || true)
keep=$(grep -v -e '^#nullable enable$' -e '^$' "$unshipped" || true)
gone_shipped=
if [ -n "$removed" ]; then
  keep=$(grep -vxF -f <(printf '%s\n' "$removed") <<<"$keep" || true)
  gone_shipped=$(grep -xF -f <(printf '%s\n' "$removed") "$shipped" | sed 's/^/*REMOVED*/' || true)
fi
{
  echo "#nullable enable"
  printf '%s\n%s\n%s\n' "$keep" "$added" "$gone_shipped" | grep -v '^$' | LC_ALL=C sort -u || true
} >"$unshipped.new"
mv "$unshipped.new" "$unshipped"
echo "$(printf '%s' "$added" | grep -c . || true) added, $(printf '%s' "$removed" | grep -c . || true) removed: $project_dir/$unshipped"
