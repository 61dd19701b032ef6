#!/usr/bin/env bash
# Installs Debian's postgresql package when it is missing, for the Hangfire tests
# (tests/BillingImports.Tests/Hangfire), which start a throwaway PostgreSQL server of their own and
# run it as the postgres system user the package creates. Called by .ci/run and, before the tests
# run, by the test project itself, so `dotnet test Generated.sln` on a fresh Debian machine needs no
# step of its own. Exits 1 when PostgreSQL is missing and cannot be installed here (not root, or no
# apt-get); the tests then skip (or, with CI=true, fail) with the reason.
set -uo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
echo "The Hangfire tests need PostgreSQL, which is missing: installing Debian's postgresql package with apt-get."
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Cannot install it here (needs root on Debian); install postgresql, then run again."
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
