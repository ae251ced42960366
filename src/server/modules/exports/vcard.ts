/**
 * vCard 4.0 (RFC 6350), pure functions: writing one card per contact and reading cards back.
 * Lines are CRLF-terminated and folded at 75 octets (never inside a UTF-8 character); text values
 * escape `\`, `,`, `;` and newlines (§3.4); reading unfolds, unescapes, and ignores property
 * groups (`item1.EMAIL` is an EMAIL).
 */

/** What Keel writes into, and reads out of, a card. */
export type VCardContact = {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  company: string | null;
  note: string | null;
  tags: string[];
  uid?: string;
  updatedAt?: Date;
};

/** One property of a card: `group.NAME;PARAM=value:value`. */
export type VCardProperty = { group: string | null; name: string; params: Record<string, string>; value: string };

/** A card as read: its 1-based number in the file and its properties. */
export type VCard = { number: number; properties: VCardProperty[] };

const maxLineOctets = 75;

/** Escapes a text value (§3.4): backslash, comma, semicolon and newlines. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/,/g, "\\,")
    .replace(/;/g, "\\;")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds a content line at 75 octets: continuation lines start with one space (§3.2). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    // The first line holds 75 octets; a continuation's leading space counts towards its 75.
    const limit = parts.length === 0 ? maxLineOctets : maxLineOctets - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** The vCard timestamp of an instant: 20261204T015133Z. */
function timestampOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** One contact as a vCard 4.0, CRLF line endings included. */
export function writeVCard(contact: VCardContact): string {
  const fullName = `${contact.firstName} ${contact.lastName}`.trim();
  const lines = [
    "BEGIN:VCARD",
    "VERSION:4.0",
    `FN:${escapeText(fullName)}`,
    `N:${escapeText(contact.lastName)};${escapeText(contact.firstName)};;;`,
  ];
  if (contact.email) lines.push(`EMAIL:${escapeText(contact.email)}`);
  if (contact.phone) lines.push(`TEL;VALUE=uri:tel:${contact.phone}`);
  if (contact.company) lines.push(`ORG:${escapeText(contact.company)}`);
  if (contact.jobTitle) lines.push(`TITLE:${escapeText(contact.jobTitle)}`);
  if (contact.tags.length > 0) lines.push(`CATEGORIES:${contact.tags.map(escapeText).join(",")}`);
  if (contact.note) lines.push(`NOTE:${escapeText(contact.note)}`);
  if (contact.uid) lines.push(`UID:urn:uuid:${contact.uid}`);
  if (contact.updatedAt) lines.push(`REV:${timestampOf(contact.updatedAt)}`);
  lines.push("END:VCARD");
  return lines.map((line) => `${foldLine(line)}\r\n`).join("");
}

/** Undoes folding: a line break followed by a space or tab continues the line (§3.2). */
export function unfold(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, "\n")
    .replace(/\n[ \t]/g, "")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

/** Splits a value on an unescaped separator (`;` in N, `,` in CATEGORIES), unescaping each part. */
export function splitValue(value: string, separator: "," | ";"): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === "\\" && i + 1 < value.length) {
      current += char + value[i + 1];
      i++;
    } else if (char === separator) {
      parts.push(unescapeText(current));
      current = "";
    } else current += char;
  }
  parts.push(unescapeText(current));
  return parts;
}

/** Reverses escapeText; `\N` is a newline too. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, char: string) => (char === "n" || char === "N" ? "\n" : char));
}

/** `item1.EMAIL;TYPE=work:ada@example.com` → its parts; null when the line has no `:`. */
export function parseLine(line: string): VCardProperty | null {
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ":" && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const [head = "", ...paramTexts] = line.slice(0, colon).split(";");
  const dot = head.lastIndexOf(".");
  const params: Record<string, string> = {};
  for (const param of paramTexts) {
    const [key = "", ...rest] = param.split("=");
    params[key.toUpperCase()] = rest.join("=").replace(/^"|"$/g, "");
  }
  return {
    group: dot >= 0 ? head.slice(0, dot) : null,
    name: (dot >= 0 ? head.slice(dot + 1) : head).toUpperCase(),
    params,
    value: line.slice(colon + 1),
  };
}

/** Every card of a file, in order; throws a CardError for text outside a card or a card left open. */
export function parseVCards(text: string): VCard[] {
  const cards: VCard[] = [];
  let current: VCard | null = null;
  for (const line of unfold(text.replace(/^\uFEFF/, ""))) {
    const property = parseLine(line);
    if (!property) throw new CardError(current?.number ?? cards.length + 1, "line", "A line without a value");
    if (property.name === "BEGIN" && property.value.toUpperCase() === "VCARD") {
      if (current) throw new CardError(current.number, "END", "Card not ended before the next one");
      current = { number: cards.length + 1, properties: [] };
    } else if (property.name === "END" && property.value.toUpperCase() === "VCARD") {
      if (!current) throw new CardError(cards.length + 1, "BEGIN", "END:VCARD without BEGIN:VCARD");
      cards.push(current);
      current = null;
    } else if (!current) {
      throw new CardError(cards.length + 1, property.name, "Text outside BEGIN:VCARD … END:VCARD");
    } else current.properties.push(property);
  }
  if (current) throw new CardError(current.number, "END", "Card not ended (END:VCARD missing)");
  return cards;
}

/** A card that cannot be read: its number and the property at fault. */
export class CardError extends Error {
  constructor(
    readonly card: number,
    readonly property: string,
    message: string,
  ) {
    super(message);
  }
}

/** A TEL value as E.164 where it can be: `tel:` URIs and spaces, dashes, dots and brackets dropped. */
export function phoneOf(value: string): string {
  return value
    .replace(/^tel:/i, "")
    .replace(/;.*$/, "")
    .replace(/[\s\-().]/g, "");
}

/**
 * A card's contact: N (family;given) or else FN split at its first space; the first EMAIL and TEL
 * (preferring PREF=1), TITLE, ORG's organisation name, NOTE and CATEGORIES. Throws a CardError when
 * the card has neither N nor FN.
 */
export function contactOf(card: VCard): VCardContact {
  const first = (name: string) => {
    const found = card.properties.filter((p) => p.name === name);
    return found.find((p) => p.params.PREF === "1") ?? found[0];
  };
  const names = first("N");
  const fullName = first("FN");
  let firstName = "";
  let lastName = "";
  if (names) {
    const [family = "", given = ""] = splitValue(names.value, ";");
    firstName = given.trim();
    lastName = family.trim();
  }
  if (!firstName && fullName) {
    const full = unescapeText(fullName.value).trim();
    const space = full.indexOf(" ");
    firstName = space < 0 ? full : full.slice(0, space);
    if (!lastName) lastName = space < 0 ? "" : full.slice(space + 1).trim();
  }
  if (!firstName && lastName) [firstName, lastName] = [lastName, ""];
  if (!firstName) throw new CardError(card.number, names ? "N" : "FN", "A card needs a name (N or FN)");
  const textOf = (name: string) => {
    const property = first(name);
    return property ? unescapeText(property.value).trim() || null : null;
  };
  const organisation = first("ORG");
  const tel = first("TEL");
  return {
    firstName,
    lastName,
    email: textOf("EMAIL"),
    phone: tel ? phoneOf(tel.value) || null : null,
    jobTitle: textOf("TITLE"),
    company: organisation ? splitValue(organisation.value, ";")[0]?.trim() || null : null,
    note: textOf("NOTE"),
    tags: card.properties
      .filter((p) => p.name === "CATEGORIES")
      .flatMap((p) => splitValue(p.value, ","))
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ""),
  };
}
