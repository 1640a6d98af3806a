/** A LIKE/ILIKE pattern matching `text` anywhere, its own %, _ and \ taken literally. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
