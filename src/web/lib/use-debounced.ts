import { useEffect, useState } from "react";

/**
 * `value`, once it has stopped changing for `delayMs`: a search box then asks the server once per
 * pause in typing, not once per key (each request counts against the API's rate limit).
 */
export function useDebounced<T>(value: T, delayMs = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
