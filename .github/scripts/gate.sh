#!/usr/bin/env bash
# The gate (issue 9): judge a change to the QA repository with code the change cannot have touched.
# .github/workflows/gate.yml runs it on every pull request, merge group and push to main, and
# tests/ci/test_gate.py runs it, unchanged, on real Git repositories.
#
# Environment (all required but the last three):
#   GATE_REPO    a Git repository holding both commits and the history between them. It is read
#                as Git objects only: nothing in its working tree is run, imported or installed.
#   GATE_BASE    the commit the change is judged against: the pull request's base, the merge
#                group's base, or main before the push. check-pr reads who is who, the cycles and
#                the allocations from here (R4, R7, R15).
#   GATE_HEAD    the commit being judged: the pull request's head, the merge group's head, or main
#                after the push.
#   GATE_ACTOR   the GitHub handle making the change.
#   EHQA_TOOLS   the trusted tools/ folder, from GATE_BASE's commit and never from GATE_HEAD's;
#                it is the whole of ehqa that runs (on PYTHONPATH; ehqa is never installed here).
#   EHQA_PYTHON  a Python with the trusted lock's dependencies installed (default python3).
#   GATE_FORMAT  github (annotations on the lines at fault; the default) or text.
#   GATE_AS_OF   treat this day as today (YYYY-MM-DD); tests only.
#
# It runs three checks, each even when one before it fails, and exits 1 when any fails:
#   ehqa validate             over GATE_HEAD's files, written out by `git worktree add` into a
#                             scratch folder of their own: read as data
#   ehqa check-pr             who may change what, GATE_BASE...GATE_HEAD
#   ehqa codeowners --check   GATE_HEAD's CODEOWNERS against GATE_HEAD's staff and allocations
# Python runs with -P from an empty folder, so no file of the change is ever on its import path,
# and Git runs no hook and fetches no LFS object while writing the change out.
set -euo pipefail

for name in GATE_REPO GATE_BASE GATE_HEAD GATE_ACTOR EHQA_TOOLS; do
  if [ -z "${!name:-}" ]; then
    echo "::error title=ehqa gate::$name is not set: the gate cannot tell what to judge, or with what" >&2
    exit 2
  fi
done
python=${EHQA_PYTHON:-python3}
format=${GATE_FORMAT:-github}
as_of=()
if [ -n "${GATE_AS_OF:-}" ]; then as_of=(--as-of "$GATE_AS_OF"); fi

repo=$(cd "$GATE_REPO" && pwd -P)
tools=$(cd "$EHQA_TOOLS" && pwd -P)
if [ ! -f "$tools/ehqa/__main__.py" ]; then
  echo "::error title=ehqa gate::EHQA_TOOLS ($tools) holds no ehqa package" >&2
  exit 2
fi

scratch=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ehqa-gate.XXXXXX")
data="$scratch/change"
cleanup() {
  git -C "$repo" worktree remove --force "$data" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

export GIT_LFS_SKIP_SMUDGE=1 GIT_TERMINAL_PROMPT=0
if ! git -C "$repo" -c core.hooksPath=/dev/null -c advice.detachedHead=false \
    worktree add --quiet --detach "$data" "$GATE_HEAD"; then
  echo "::error title=ehqa gate::cannot write out $GATE_HEAD from $repo: fetch it first" >&2
  exit 2
fi
mkdir "$scratch/run"
cd "$scratch/run"

ehqa() {
  PYTHONPATH="$tools" PYTHONSAFEPATH=1 PYTHONDONTWRITEBYTECODE=1 "$python" -P -m ehqa "$@"
}

echo "The gate: $GATE_BASE...$GATE_HEAD by $GATE_ACTOR, judged by the code of $GATE_BASE"
failed=()
echo "::group::ehqa validate (the change's files)"
ehqa validate --repo "$data" --format "$format" "${as_of[@]}" || failed+=("validate")
echo "::endgroup::"
echo "::group::ehqa check-pr (who may change what: R4, R7, R15)"
ehqa check-pr --repo "$repo" --base "$GATE_BASE" --head "$GATE_HEAD" --actor "$GATE_ACTOR" \
  --format "$format" "${as_of[@]}" || failed+=("check-pr")
echo "::endgroup::"
echo "::group::ehqa codeowners --check"
ehqa codeowners --check --repo "$data" || failed+=("codeowners --check")
echo "::endgroup::"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "::error title=ehqa gate::refused: ${failed[*]} failed for $GATE_BASE...$GATE_HEAD by $GATE_ACTOR"
  exit 1
fi
echo "passed: validate, check-pr and codeowners --check for $GATE_BASE...$GATE_HEAD by $GATE_ACTOR"
