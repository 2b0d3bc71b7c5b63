#!/usr/bin/env bash
# What the gate judges, against what, and as whom, for the event that started it (issue 9).
# Called by .github/workflows/gate.yml, from the trusted checkout; tests/ci/test_gate.py calls it too.
# Writes base=, head= and actor= to $GITHUB_OUTPUT (to stdout when that is not set).
#
#   pull_request_target  the pull request's head against its base, as its author
#   merge_group          the group's head against the group's base, as the author of the pull
#                        request the group carries (github.actor is the merge queue's bot there)
#   push (to main)       main after the push against main before it. The actor is the author of the
#                        pull request GitHub merged to make the new tip (its merge_commit_sha), so a
#                        landing is judged as its pull request was; otherwise the pusher (github.actor).
#                        A push that is not a fast-forward rewrote main's history, which R15 never
#                        allows for a closed audit and which is refused here, whatever it changed.
#
# Environment: EVENT; GATE_REPO (a clone with the whole history); PR_BASE, PR_HEAD, PR_AUTHOR;
# MQ_BASE, MQ_HEAD, MQ_HEAD_REF; PUSH_BEFORE, PUSH_AFTER, PUSHER; GH_REPO and GH_TOKEN for `gh`.
set -euo pipefail

fail() {
  echo "::error title=ehqa gate::$*" >&2
  exit 1
}

commit_in_repo() {
  git -C "$GATE_REPO" cat-file -e "$1^{commit}" 2>/dev/null
}

case "${EVENT:-}" in
  pull_request_target)
    base=$PR_BASE head=$PR_HEAD actor=$PR_AUTHOR
    ;;
  merge_group)
    base=$MQ_BASE head=$MQ_HEAD
    # refs/heads/gh-readonly-queue/<branch>/pr-<number>-<sha>: the pull request at the group's head.
    if [[ "${MQ_HEAD_REF:-}" =~ /pr-([0-9]+)-[0-9a-f]+$ ]]; then
      number=${BASH_REMATCH[1]}
    else
      fail "cannot tell which pull request the merge group $MQ_HEAD_REF carries"
    fi
    actor=$(gh pr view "$number" --json author --jq .author.login) ||
      fail "cannot read the author of pull request #$number"
    ;;
  push)
    base=$PUSH_BEFORE head=$PUSH_AFTER
    [[ "$base" =~ ^0+$ ]] && fail "main is new (nothing before $head): there is nothing to judge it against"
    [[ "$base" =~ ^[0-9a-f]{40}$ && "$head" =~ ^[0-9a-f]{40}$ ]] || fail "not a commit range: '$base..$head'"
    if ! commit_in_repo "$base" || ! git -C "$GATE_REPO" merge-base --is-ancestor "$base" "$head"; then
      fail "main was rewritten: $base is not an ancestor of $head (a force push). History that has landed is evidence (R15) and is never rewritten; restore it, and make branch protection refuse force pushes"
    fi
    merged=""
    if pulls=$(gh api "repos/$GH_REPO/commits/$head/pulls"); then
      merged=$(jq -r --arg sha "$head" \
        '[.[] | select(.merged_at != null and .merge_commit_sha == $sha) | .user.login] | unique
         | if length == 1 then .[0] else empty end' <<<"$pulls")
    else
      echo "::warning title=ehqa gate::cannot ask GitHub which pull request made $head; judging it as the pusher, $PUSHER"
    fi
    if [ -n "$merged" ]; then
      actor=$merged
      echo "$head is the merge of a pull request by $actor: judged as $actor (pushed by $PUSHER)"
    else
      actor=$PUSHER
    fi
    ;;
  *)
    fail "the gate does not run on ${EVENT:-no event}"
    ;;
esac

for sha in "$base" "$head"; do
  [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || fail "not a commit id: '$sha'"
  commit_in_repo "$sha" || fail "$sha is not in $GATE_REPO: check out the whole history (fetch-depth: 0)"
done
[[ "$actor" =~ ^(app/)?[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$ ]] || fail "not a GitHub handle: '$actor'"

{
  echo "base=$base"
  echo "head=$head"
  echo "actor=$actor"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
