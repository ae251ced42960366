import { render, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { Dialog } from "./Dialog.tsx";

/** A page with a button that opens a dialog, as the app's pages open theirs (no Radix trigger). */
function PageWithDialog() {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <button type="button">Before</button>
      <button type="button" onClick={() => setOpen(true)}>
        New contact
      </button>
      <Dialog open={isOpen} onOpenChange={setOpen} title="New contact">
        <input aria-label="First name" />
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </Dialog>
    </>
  );
}

describe("Dialog", () => {
  it("gives focus back to the button that opened it when Escape closes it", async () => {
    const user = userEvent.setup();
    render(<PageWithDialog />);
    const opener = screen.getByRole("button", { name: "New contact" });
    await user.click(opener);
    await screen.findByRole("dialog", { name: "New contact" });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("First name")));

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it("gives focus back when a button inside closes it, also to an opener reached by keyboard", async () => {
    const user = userEvent.setup();
    render(<PageWithDialog />);
    await user.tab();
    await user.tab();
    const opener = screen.getByRole("button", { name: "New contact" });
    expect(document.activeElement).toBe(opener);
    await user.keyboard("{Enter}");
    await screen.findByRole("dialog", { name: "New contact" });

    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});
