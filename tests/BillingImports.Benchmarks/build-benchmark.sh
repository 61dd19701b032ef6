#!/usr/bin/env bash
# The cost of regenerate-on-build, side by side in one run:
#  - a no-op `dotnet build` of the SDK project with generation on, against the same build with
#    generation switched off (-p:BillingImportsGenerateClients=false): what the up-to-date check costs;
#  - a build after a spec edit (NSwag runs, then the compiler) against a no-op build.
# Runs on a scratch copy so the checkout is never touched. Usage: build-benchmark.sh [runs]
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && xargs -0 cp --parents -t "$work")
cd "$work/src/BillingImports"
spec="$work/openapi/billing-imports.yaml"

build() { dotnet build --no-restore -c Release -v:quiet -nologo -clp:NoSummary "$@" >/dev/null; }
ms() { local start end; start=$(date +%s%N); "$@"; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

dotnet restore -v:quiet >/dev/null
build; build -p:BillingImportsGenerateClients=false

on=(); off=(); edit=()
for _ in $(seq "$runs"); do
  # Alternate the two no-op builds so drift on a shared machine hits both alike.
  on+=("$(ms build)")
  off+=("$(ms build -p:BillingImportsGenerateClients=false)")
  # A spec edit that changes the generated client: a new description on the data source name.
  sed -i "0,/          description: The display name.*/s//          description: The display name. Edit $RANDOM./" "$spec"
  edit+=("$(ms build -p:BillingImportsApiDraft=true)")
done

on_ms=$(printf '%s\n' "${on[@]}" | median)
off_ms=$(printf '%s\n' "${off[@]}" | median)
edit_ms=$(printf '%s\n' "${edit[@]}" | median)
echo "| build | median of $runs (ms) | ratio |"
echo "|---|---|---|"
echo "| no-op, generation off | $off_ms | 1.00 |"
echo "| no-op, generation on (up-to-date check) | $on_ms | $(awk "BEGIN {printf \"%.2f\", $on_ms / $off_ms}") |"
echo "| after a spec edit (NSwag + compile) | $edit_ms | $(awk "BEGIN {printf \"%.2f\", $edit_ms / $off_ms}") |"
