import { useTranslation } from "react-i18next";
import { Button } from "./Button.tsx";

/** What LoadMore needs of an infinite query (TanStack Query's useInfiniteQuery result). */
type Pages = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };

/**
 * The "Load more" button under a list read page by page: asks for the next page, says "Loading…"
 * while it comes, and is gone after the last page. `className` places its wrapper.
 */
export function LoadMore({ pages, className }: { pages: Pages; className?: string }) {
  const { t } = useTranslation();
  if (!pages.hasNextPage) return null;
  return (
    <div className={className}>
      <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
        {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
      </Button>
    </div>
  );
}
