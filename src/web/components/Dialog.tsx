import { Dialog as Primitive } from "radix-ui";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFocusReturn } from "../lib/use-focus-return.ts";
import { isEscapeForList } from "./Combobox.tsx";

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
  wide?: boolean;
};

/**
 * A modal dialog: focus is trapped inside, Escape closes it, focus returns to the opener (the
 * element that had focus when it opened).
 */
export function Dialog({ open, onOpenChange, title, description, children, wide = false }: DialogProps) {
  const { t } = useTranslation();
  const restoreFocus = useFocusReturn(open);
  return (
    <Primitive.Root open={open} onOpenChange={onOpenChange}>
      <Primitive.Portal>
        <Primitive.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Primitive.Content
          className={`fixed top-[5vh] left-1/2 z-50 max-h-[90vh] w-[calc(100vw-1.5rem)] -translate-x-1/2 overflow-y-auto rounded-lg bg-white p-5 shadow-xl dark:bg-slate-900 ${wide ? "max-w-2xl" : "max-w-lg"}`}
          {...(description ? {} : { "aria-describedby": undefined })}
          onEscapeKeyDown={(event) => {
            if (isEscapeForList(event)) event.preventDefault();
          }}
          onCloseAutoFocus={(event) => {
            if (restoreFocus()) event.preventDefault();
          }}
        >
          <Primitive.Title className="mb-1 text-lg font-semibold">{title}</Primitive.Title>
          {description && (
            <Primitive.Description className="mb-3 text-sm text-slate-600 dark:text-slate-300">
              {description}
            </Primitive.Description>
          )}
          {children}
          <Primitive.Close
            aria-label={t("common.close")}
            className="absolute top-3 right-3 rounded px-2 text-xl leading-none text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          >
            ×
          </Primitive.Close>
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}
