/**
 * An admin creates a pipeline from the admissions template in Settings → Pipelines, drags a stage
 * to another place and saves, then switches the deals board to that pipeline and moves a deal
 * through its stages until it is won.
 */
import type { Locator, Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, auditPage, expectUrl, openAs, uniqueName, waitForSettled } from "./support/helpers.ts";

type Stage = { id: string; name: string };
type Pipeline = { id: string; name: string; version: number; stages: Stage[] };

/** Presses on a drag handle, moves in small steps onto the target, releases (dnd-kit's pointer sensor). */
async function dragTo(page: Page, handle: Locator, target: Locator): Promise<void> {
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("The handle or the target is not on screen");
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  // Past the sensor's 6 px activation distance first, then onto the target's upper half.
  await page.mouse.move(start.x, start.y - 10, { steps: 5 });
  await page.mouse.move(start.x, to.y + to.height / 3, { steps: 15 });
  await page.mouse.up();
}

const stageNames = (list: Locator) =>
  list.getByRole("textbox").evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));

describeBrowser("pipelines settings", () => {
  test("create an admissions pipeline, reorder a stage, then run a deal through it on the board", async ({ page }) => {
    await openAs(page, "admin", "/settings/pipelines");
    await page.getByRole("heading", { level: 1, name: "Pipelines" }).waitFor();
    await waitForSettled(page);
    // Checked before any toast (sonner's success green is below 4.5:1, the shell's to fix), with a
    // stage editor open.
    await page.getByRole("button", { name: "Edit stages of Sales" }).click();
    await page.getByRole("list", { name: "Stages of Sales" }).waitFor();
    await auditPage(page, "settings-pipelines");
    await page.getByRole("button", { name: "Close stages of Sales" }).click();

    const name = uniqueName("Admissions ");
    await page.getByRole("button", { name: "New pipeline" }).click();
    const dialog = page.getByRole("dialog", { name: "New pipeline" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("radio", { name: /^Admissions/ }).check();
    await dialog.getByRole("button", { name: "Create pipeline" }).click();
    await dialog.waitFor({ state: "hidden" });

    // The new pipeline's stages open for editing: drag "Admitted" above "Interviewed", then save.
    const stages = page.getByRole("list", { name: `Stages of ${name}` });
    await stages.waitFor();
    expect(await stageNames(stages)).toEqual(["Applied", "Interviewed", "Admitted", "Enrolled", "Withdrawn"]);
    const interviewed = stages
      .getByRole("listitem")
      .filter({ has: page.getByRole("button", { name: "Drag Interviewed" }) });
    await dragTo(page, stages.getByRole("button", { name: "Drag Admitted" }), interviewed);
    expect(await stageNames(stages)).toEqual(["Applied", "Admitted", "Interviewed", "Enrolled", "Withdrawn"]);
    const saved = page.waitForResponse(
      (r) => r.url().includes("/api/v1/pipelines/") && r.request().method() === "PATCH",
    );
    await page.getByRole("button", { name: "Save stages" }).click();
    expect((await saved).status()).toBe(200);
    const pipeline = (await saved.then((r) => r.json())) as Pipeline;
    expect(pipeline.stages.map((s) => s.name)).toEqual(["Applied", "Admitted", "Interviewed", "Enrolled", "Withdrawn"]);

    // The board: switch to the new pipeline and move a deal from its first stage until it is won.
    const dealName = uniqueName("Applicant ");
    const deal = await api<{ id: string }>(page, "POST", "/deals", {
      name: dealName,
      value: "900.00",
      pipelineId: pipeline.id,
    });
    await page.goto("/deals?mode=kanban");
    await waitForSettled(page);
    await page.getByRole("combobox", { name: "Pipeline" }).selectOption({ label: name });
    const board = page.getByRole("region", { name: `${name}: deals by stage` });
    await board.waitFor();
    const column = (stage: string) => board.getByRole("region", { name: stage, exact: true });
    await column("Applied").getByRole("link", { name: dealName }).waitFor();

    // A card whose move is being saved stays put until the board has refetched: the toast says when.
    for (const [next, saved] of [
      ["Admitted", `Moved “${dealName}” to Admitted.`],
      ["Enrolled", `“${dealName}” is won.`],
    ] as const) {
      await board.getByRole("combobox", { name: `Stage of ${dealName}` }).selectOption({ label: next });
      await page.getByText(saved).waitFor();
      await column(next).getByRole("link", { name: dealName }).waitFor();
    }
    const stored = await api<{ status: string; stageId: string }>(page, "GET", `/deals/${deal.id}`);
    expect(stored).toMatchObject({ status: "won", stageId: pipeline.stages[3]?.id });
    await expectUrl(page, "/deals");
  });
});
