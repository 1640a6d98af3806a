const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths that are not UUIDs answer 404, like ids that exist nowhere. */
export const isUuid = (value: string): boolean => UUID.test(value);
