import type { ReactNode } from "react";

type AuthCardProps = {
  title: string;
  /** A sentence under the title. */
  description?: ReactNode;
  children: ReactNode;
  /** Links below the card's content (e.g. "Already have an account? Sign in"). */
  footer?: ReactNode;
};

/** The layout of every signed-out page (sign-up, e-mail links): Keel's name, a title, one column. */
export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-8">
      <div>
        <p className="text-2xl font-bold text-accent-600 dark:text-sky-400">Keel</p>
        <h1 className="text-xl font-semibold">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{description}</p>}
      </div>
      {children}
      {footer && <div className="flex flex-col gap-1 text-sm text-slate-700 dark:text-slate-300">{footer}</div>}
    </main>
  );
}

/** A text link in the signed-out pages' style. */
export const authLinkClass = "font-medium text-accent-600 underline dark:text-sky-400";

/** A link that looks like the primary button (e.g. "Sign in" once a link has done its work). */
export const authButtonLinkClass =
  "inline-flex items-center justify-center rounded-md bg-accent-600 px-3 py-1.5 font-medium text-white hover:bg-accent-700";
