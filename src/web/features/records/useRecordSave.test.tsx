import { QueryClientProvider } from "@tanstack/react-query";
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { recordKeys } from "../../api/records.ts";
import { mockApi, testQueryClient } from "../../test/render.tsx";
import { useRecordSave } from "./useRecordSave.ts";

const id = "0190f6c2-0000-7000-8000-0000000000aa";

function renderSave() {
  const client = testQueryClient();
  client.setQueryData([...recordKeys.one("contacts", id), ""], { id, version: 3 });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(() => useRecordSave<{ id: string; version: number }>("contacts"), {
    wrapper,
  });
  return { save: result.current, client };
}

describe("useRecordSave", () => {
  it("sends If-Match with the version shown and answers the saved record", async () => {
    const api = mockApi({ [`PATCH /api/v1/contacts/${id}`]: { body: { id, version: 4 } } });
    const { save } = renderSave();
    await expect(save({ id, version: 3 }, { jobTitle: "Dean" })).resolves.toEqual({ id, version: 4 });
    expect(api.calls[0]?.headers.get("if-match")).toBe('"3"');
  });

  it("on 412 reloads the record and says to save again, instead of failing the same way forever", async () => {
    mockApi({
      [`PATCH /api/v1/contacts/${id}`]: {
        status: 412,
        body: { type: "/problems/stale-version", title: "Stale version", status: 412, detail: "The record changed." },
      },
    });
    const { save, client } = renderSave();
    await expect(save({ id, version: 3 }, { jobTitle: "Dean" })).rejects.toThrow(
      "Someone else changed this contact meanwhile. The page now shows their version; save again to apply yours.",
    );
    expect(client.getQueryState([...recordKeys.one("contacts", id), ""])?.isInvalidated).toBe(true);
  });
});
