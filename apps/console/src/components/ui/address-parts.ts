/** Inside a part: before a dot, and before a slash that starts a path (not inside "://"). */
const BREAK_BEFORE = /(?=\.)|(?<=[^/:])(?=\/)/;

/**
 * Where an email address, host name or URL may wrap: an address splits into its name and its
 * "@domain" (the last "@"), and each part into pieces before its dots and path slashes. Joined
 * again, the pieces are the text unchanged.
 */
export function addressParts(text: string): string[][] {
  const at = text.lastIndexOf('@');
  const parts = at > 0 ? [text.slice(0, at), text.slice(at)] : [text];
  return parts.map((part) => part.split(BREAK_BEFORE));
}
