#!/usr/bin/env bash
# One profile run as a CI gate: the GitHub composite action (action.yml) and the GitLab template
# (ci/gitlab/oi4-conformance.gitlab-ci.yml) both call this script, so the two behave alike.
#
# Read from the environment (the wrappers map their inputs onto these):
#   OI4C_PROFILE   profile id or IRI (required)
#   OI4C_TARGET    target file or embedded:<device> (required)
#   OI4C_MODE      full (default) or quick
#   OI4C_OUT       report folder (default reports/ci)
#   OI4C_WAIVERS   waivers file (optional)
#   OI4C_CLAIMS    optional groups to claim, separated by commas or spaces (optional)
#   OI4C_PARAMS    profile parameters name=value, separated by commas or spaces (optional)
#   OI4C_SIGN_KEY  Ed25519 private key file to sign the bundle with (optional)
#   OI4C_DOTENV    write verdict, exit code and report folder here as KEY=value lines (GitLab's dotenv report)
#   GITHUB_OUTPUT  set by GitHub Actions: the same three values become step outputs
# Exits with the run's exit code: 0 CONFORMANT, 1 NOT_CONFORMANT, 3 INCOMPLETE, 2 a configuration error.
set -uo pipefail

suite="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${OI4C_PROFILE:-}"
target="${OI4C_TARGET:-}"
if [ -z "$profile" ] || [ -z "$target" ]; then
  echo "oi4-conformance gate: set the profile and the target (OI4C_PROFILE, OI4C_TARGET)" >&2
  exit 2
fi
out="${OI4C_OUT:-reports/ci}"

args=(run --profile "$profile" --target "$target" --mode "${OI4C_MODE:-full}" --out "$out" --no-color)
[ -n "${OI4C_WAIVERS:-}" ] && args+=(--waivers "$OI4C_WAIVERS")
[ -n "${OI4C_SIGN_KEY:-}" ] && args+=(--sign "$OI4C_SIGN_KEY")
claims="${OI4C_CLAIMS:-}"
params="${OI4C_PARAMS:-}"
for claim in ${claims//,/ }; do args+=(--claim "$claim"); done
for param in ${params//,/ }; do args+=(--param "$param"); done

node "$suite/bin/oi4-conformance.mjs" "${args[@]}"
code=$?

# the verdict as report.json states it; no report (a configuration error) says so
verdict="$(node -e 'try { process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).verdict) } catch { process.stdout.write("NO_REPORT") }' "$out/report.json")"
for file in "${GITHUB_OUTPUT:-}" "${OI4C_DOTENV:-}"; do
  [ -n "$file" ] || continue
  {
    echo "OI4C_VERDICT=$verdict"
    echo "OI4C_EXIT_CODE=$code"
    echo "OI4C_REPORT_DIR=$out"
  } >> "$file"
done
echo "oi4-conformance gate: $verdict (exit $code), report in $out"
exit "$code"
