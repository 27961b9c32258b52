/**
 * Posts `mirra cassettes diff` as ONE pull-request comment and keeps it up to date: the comment
 * carries a hidden marker, each push finds it and edits it instead of adding another. Used by
 * mirra-cassette-review.yml through actions/github-script; copy it to .github/scripts/.
 *
 * - differences and no comment yet: create it;
 * - a comment already there: update it (also when the differences are gone, so it never shows a
 *   stale diff);
 * - no differences and no comment: post nothing.
 */
'use strict';

/** Hidden in the rendered comment; how the comment is found again. */
const MARKER = '<!-- mirra-cassette-diff -->';

/** The identity GITHUB_TOKEN comments as. */
const DEFAULT_AUTHOR = 'github-actions[bot]';

/**
 * The comment posted before, among `comments` (GitHub's issue comments): the first by `author`
 * that carries the marker. A comment by anyone else (a reviewer quoting it) is never taken.
 */
function findMarkedComment(comments, author = DEFAULT_AUTHOR) {
  return comments.find((c) => typeof c.body === 'string' && c.body.includes(MARKER) && c.user && c.user.login === author);
}

/** The comment's text: the marker, the Markdown of the diff, and the commit it is for. */
function commentBody(markdown, sha) {
  const footer = sha ? `\n<sub>mirra cassettes diff for ${String(sha).slice(0, 7)}; updated on every push.</sub>\n` : '';
  return `${MARKER}\n${markdown.trimEnd()}\n${footer}`;
}

/**
 * Creates or updates the comment on the pull request of `context` (actions/github-script's
 * `github` and `context`). Resolves with what it did:
 * `{ action: 'created' | 'updated' | 'unchanged' | 'none', id? }`.
 */
async function upsertCassetteComment({ github, context, markdown, differs, author = DEFAULT_AUTHOR }) {
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const existing = findMarkedComment(comments, author);
  const body = commentBody(markdown, context.payload && context.payload.pull_request ? context.payload.pull_request.head.sha : context.sha);
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id };
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: 'updated', id: existing.id };
  }
  if (!differs) return { action: 'none' };
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
}

module.exports = { MARKER, findMarkedComment, commentBody, upsertCassetteComment };
