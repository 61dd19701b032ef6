#!/usr/bin/env bash
# Cold start: a console app's first call, whole process (`dotnet <app>.dll <address>`, from exec to
# exit), for the floor (HttpClient + source-generated System.Text.Json), Refit, the SDK, and the
# SDK's generated client over a plain HttpClient (the SDK app with `generated`: the generated code
# and its models without the pipeline), against the benchmarks' loopback server running in a
# process of its own. The variants are interleaved:
# every round runs each app once, in an order that rotates from round to round, and each app's time
# is divided by the floor's of the same round; the median of those ratios is the figure.
# Usage: cold-start.sh [rounds]   (default 40)
set -euo pipefail
rounds=${1:-40}
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/BillingImports.Benchmarks"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

variants=(Floor Refit Sdk SdkGenerated)
for project in Floor Refit Sdk; do
  dotnet build "$here/ColdStart/$project/ColdStart.$project.csproj" -c Release -v:quiet -nologo -clp:NoSummary >/dev/null
done
dotnet build "$here/BillingImports.Benchmarks.csproj" -c Release -v:quiet -nologo -clp:NoSummary >/dev/null
app() { echo "$here/ColdStart/${1%Generated}/bin/Release/net10.0/ColdStart.${1%Generated}.dll"; }
mode() { [[ $1 == *Generated ]] && echo generated || true; }

# The server serves until its standard input closes, which happens when this script exits.
coproc SERVER { dotnet "$here/bin/Release/net10.0/BillingImports.Benchmarks.dll" serve; }
read -r address <&"${SERVER[0]}"

ms() { local start end; start=$(date +%s%N); dotnet "$(app "$1")" "$address" $(mode "$1") >/dev/null; end=$(date +%s%N); echo $(((end - start) / 1000)); }

# Two unmeasured runs each: the OS file cache and the server's first requests.
for v in "${variants[@]}"; do ms "$v" >/dev/null; ms "$v" >/dev/null; done

declare -A times
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < ${#variants[@]}; k++)); do
    v=${variants[$(((r + k) % ${#variants[@]}))]}
    times[$v]+="$(ms "$v") "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
read -ra floor <<<"${times[Floor]}"
echo "| app ($rounds interleaved rounds) | median (ms) | ratio to the floor, median of rounds | p25-p75 |"
echo "| --- | --- | --- | --- |"
for v in "${variants[@]}"; do
  read -ra mine <<<"${times[$v]}"
  ratios=""
  for ((r = 0; r < rounds; r++)); do ratios+="$(awk "BEGIN {print ${mine[$r]} / ${floor[$r]}}") "; done
  sorted=$(tr ' ' '\n' <<<"$ratios" | grep -v '^$' | sort -g)
  p25=$(awk -v n="$rounds" 'NR == int((n - 1) * 0.25) + 1' <<<"$sorted")
  p75=$(awk -v n="$rounds" 'NR == int((n - 1) * 0.75) + 1' <<<"$sorted")
  printf '| %s | %.0f | %.2f | %.2f-%.2f |\n' "$v" "$(median <<<"${times[$v]}" | awk '{print $1 / 1000}')" "$(median <<<"$ratios")" "$p25" "$p75"
done
