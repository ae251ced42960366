import { QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useEffect, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Toaster } from "sonner";
import { queryClient } from "./api/query-client.ts";
import { meQuery } from "./features/auth/session.ts";
import type { Language } from "../shared/languages.ts";
import { browserLanguage, setLanguage } from "./i18n/i18n.ts";
import { router } from "./routes.tsx";

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Pages />
      <Toaster position="bottom-right" closeButton />
    </QueryClientProvider>
  );
}

/**
 * The pages in the signed-in person's language (their profile's, else the browser's). A change of
 * language draws the pages anew, so words computed outside components (columns, messages) follow.
 */
function Pages() {
  const chosen = useChosenLanguage();
  const { i18n } = useTranslation();
  useEffect(() => {
    void setLanguage(chosen ?? browserLanguage());
  }, [chosen]);
  return <RouterProvider key={i18n.language} router={router} />;
}

/**
 * The language in the signed-in person's profile, as the cached Me says it. Read from the query
 * cache itself: signing in or out clears the cache and writes a new Me, which an observer of the
 * old entry would never see.
 */
function useChosenLanguage(): Language | null {
  const client = useQueryClient();
  return useSyncExternalStore(
    // Other components' queries are built while they render: look after that, never during it.
    (onChange) =>
      client.getQueryCache().subscribe((event) => {
        if (event.query.queryKey[0] === meQuery.queryKey[0]) queueMicrotask(onChange);
      }),
    () => client.getQueryData(meQuery.queryKey)?.user.locale ?? null,
  );
}
