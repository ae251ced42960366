import type { ReactNode } from "react";

/**
 * A small, safe subset of Markdown: paragraphs, line breaks, bullet lists, `code`, **bold**,
 * *italic*, [links](https://…) and bare http(s) addresses. Everything becomes React text nodes,
 * never HTML, so a body cannot inject markup or scripts; links only to http, https and mailto.
 */
export function ActivityBody({ text }: { text: string }) {
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== "");
  return (
    <div className="flex flex-col gap-2 text-sm break-words text-slate-800 dark:text-slate-200">
      {blocks.flatMap((block, blockIndex) =>
        groupLines(block.split("\n")).map((group, index) => renderGroup(group, `${blockIndex}-${index}`)),
      )}
    </div>
  );
}

const bullet = /^\s*[-*+]\s+/;

/** Consecutive bullet lines form a list; other consecutive lines a paragraph. */
function groupLines(lines: string[]): { isList: boolean; lines: string[] }[] {
  const groups: { isList: boolean; lines: string[] }[] = [];
  for (const line of lines) {
    const isList = bullet.test(line);
    const last = groups.at(-1);
    if (last && last.isList === isList) last.lines.push(line);
    else groups.push({ isList, lines: [line] });
  }
  return groups;
}

function renderGroup(group: { isList: boolean; lines: string[] }, key: string): ReactNode {
  if (group.isList) {
    return (
      <ul key={key} className="list-disc pl-5">
        {group.lines.map((line, i) => (
          <li key={i}>{inline(line.replace(bullet, ""))}</li>
        ))}
      </ul>
    );
  }
  return (
    <p key={key}>
      {group.lines.map((line, i) => (
        <span key={i}>
          {i > 0 && <br />}
          {inline(line.replace(/^#{1,6}\s+/, ""))}
        </span>
      ))}
    </p>
  );
}

const inlinePattern =
  /`([^`\n]+)`|\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])|\*([^*\n]+)\*|\b_([^_\n]+)_\b/g;

/** Only these link targets are followed; anything else (javascript:, data:…) stays plain text. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(href);
}

function link(href: string, label: string, key: number): ReactNode {
  if (!isSafeHref(href)) return label === href ? href : `${label} (${href})`;
  return (
    <a
      key={key}
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className="text-accent-700 underline dark:text-sky-300"
    >
      {label}
    </a>
  );
}

function inline(line: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of line.matchAll(inlinePattern)) {
    const index = match.index;
    if (index > last) parts.push(line.slice(last, index));
    const [whole, code, bold, label, href, url, star, underscore] = match;
    if (code !== undefined)
      parts.push(
        <code key={key++} className="rounded bg-slate-100 px-1 font-mono text-[0.9em] dark:bg-slate-800">
          {code}
        </code>,
      );
    else if (bold !== undefined) parts.push(<strong key={key++}>{bold}</strong>);
    else if (label !== undefined && href !== undefined) parts.push(link(href, label, key++));
    else if (url !== undefined) parts.push(link(url, url, key++));
    else if ((star ?? underscore) !== undefined) parts.push(<em key={key++}>{star ?? underscore}</em>);
    else parts.push(whole);
    last = index + whole.length;
  }
  if (last < line.length) parts.push(line.slice(last));
  return parts;
}
