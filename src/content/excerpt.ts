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
/** Body read first, besides twice the description: a cut description is usually the article's opening. */
const HEAD_CHARS = 1024;

/**
 * The body's plain text, or a reader of it: `read(n)` gives a prefix of the
 * text made from at least the body's first `n` characters (`whole` when
 * nothing follows it), so a long body is not turned into text to its end.
 */
export type BodyText = string | ((chars: number) => { readonly text: string; readonly whole: boolean });

/**
 * Is the description's last word complete? Finds the description's tail in
 * the body text and looks at the next character. Undefined when the body
 * cannot tell (the tail is not found).
 */
function lastWordIsComplete(description: string, body: BodyText): boolean | undefined {
  const words = description.split(' ');
  const tail = words.slice(-CONTEXT_WORDS).join(' ');
  if (typeof body === 'string') return nextEndsWord(body, tail);
  const head = body(HEAD_CHARS + description.length * 2);
  if (head.whole) return nextEndsWord(head.text, tail);
  // A prefix decides when it holds the first tail and the character after it; else read on.
  const at = head.text.indexOf(tail);
  if (at !== -1 && at + tail.length < head.text.length) return !WORD_CHAR.test(head.text.charAt(at + tail.length));
  return nextEndsWord(body(Infinity).text, tail);
}

function nextEndsWord(text: string, tail: string): boolean | undefined {
  const at = text.indexOf(tail);
  if (at === -1) return undefined;
  const next = text.charAt(at + tail.length);
  return next === '' || !WORD_CHAR.test(next);
}

/**
 * Plain-text description + plain-text body -> summary. `description` must
 * already be one clean line; an empty one gives undefined. The body is read
 * only for a description that stops mid-word, and through a reader only as
 * far as it must be (`BodyText`).
 */
export function excerpt(description: string, bodyText: BodyText): string | undefined {
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
