import { v7 as uuidv7, validate, version } from "uuid";

/** A new time-ordered id (UUIDv7): sorts by creation time, which keeps indexes compact. */
export function newId(): string {
  return uuidv7();
}

/** True for any well-formed UUID (ids from other systems may be v4). */
export function isUuid(value: string): boolean {
  return validate(value) && version(value) >= 1;
}
