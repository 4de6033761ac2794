/**
 * `description` is often the first N characters of the article, cut mid-word
 * ("…being rolled-out glo"). A summary must end cleanly: at a word boundary,
 * marked with "…" when the text goes on.
 */

// Endings that mean the description stops on purpose.
const TERMINAL = /[.!?…"'”’»)\]}。！？]$/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const TRAILING_JOINERS = /[\s,;:–—-]+$/u;
const CONTEXT_WORDS = 8;

/**
 * Is the description's last word complete? Finds the description's tail in
 * the body text and looks at the next character. Undefined when the body
 * cannot tell (the tail is not found).
 */
function lastWordIsComplete(description: string, bodyText: string): boolean | undefined {
  const words = description.split(' ');
  const tail = words.slice(-CONTEXT_WORDS).join(' ');
  const at = bodyText.indexOf(tail);
  if (at === -1) return undefined;
  const next = bodyText.charAt(at + tail.length);
  return next === '' || !WORD_CHAR.test(next);
}

/**
 * Plain-text description + plain-text body -> summary. `description` must
 * already be one clean line; an empty one gives undefined.
 */
export function excerpt(description: string, bodyText: string): string | undefined {
  if (description === '') return undefined;
  if (TERMINAL.test(description)) return description;
  const lastChar = description.charAt(description.length - 1);
  const space = description.lastIndexOf(' ');
  // A one-word description is kept whole: an empty summary says less.
  if (!WORD_CHAR.test(lastChar) || space === -1 || lastWordIsComplete(description, bodyText) === true) {
    return `${description.replace(TRAILING_JOINERS, '')}…`;
  }
  const kept = description.slice(0, space).replace(TRAILING_JOINERS, '');
  return kept === '' ? `${description}…` : `${kept}…`;
}
