import { screen } from "@testing-library/react";
import type { ReactElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { renderWithProviders } from "../../test/render.tsx";
import { BulkTagDialog, BulkUpdateDialog } from "./BulkUpdateDialog.tsx";

async function dialogTitle(dialog: ReactElement): Promise<string> {
  const { unmount } = await renderWithProviders(dialog);
  const title = screen.getByRole("heading").textContent ?? "";
  unmount();
  return title;
}

const updateDialog = (count: number) => (
  <BulkUpdateDialog
    collection="contacts"
    open
    onOpenChange={vi.fn()}
    count={count}
    isPending={false}
    onSubmit={vi.fn()}
  />
);

const tagDialog = (mode: "addTags" | "removeTags", count: number) => (
  <BulkTagDialog mode={mode} onClose={vi.fn()} count={count} isPending={false} onSubmit={vi.fn()} />
);

describe("bulk dialogs", () => {
  afterEach(() => setLanguage("en"));

  it("name one record in the singular and more in the plural", async () => {
    expect(await dialogTitle(updateDialog(1))).toBe("Update 1 record");
    expect(await dialogTitle(updateDialog(1200))).toBe("Update 1,200 records");
    expect(await dialogTitle(tagDialog("addTags", 1))).toBe("Add tags on 1 record");
    expect(await dialogTitle(tagDialog("addTags", 2))).toBe("Add tags on 2 records");
    expect(await dialogTitle(tagDialog("removeTags", 1))).toBe("Remove tags on 1 record");
    expect(await dialogTitle(tagDialog("removeTags", 2))).toBe("Remove tags on 2 records");
  });

  it("say so in German", async () => {
    await setLanguage("de");
    expect(await dialogTitle(updateDialog(1))).toBe("1 Datensatz aktualisieren");
    expect(await dialogTitle(tagDialog("addTags", 1))).toBe("Tags zu 1 Datensatz hinzufügen");
    expect(await dialogTitle(tagDialog("removeTags", 3))).toBe("Tags von 3 Datensätzen entfernen");
  });
});
