import { useId, type ReactNode } from "react";

type ProfileSectionProps = { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode };

/** One part of the profile page: a titled section, its actions beside the title. */
export function ProfileSection({ title, description, actions, children }: ProfileSectionProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} className="text-lg font-semibold">
            {title}
          </h2>
          {description && <p className="text-sm text-slate-600 dark:text-slate-300">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
