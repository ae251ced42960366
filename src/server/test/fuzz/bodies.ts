/**
 * Request bodies that are not JSON: a vCard text and multipart/form-data uploads, valid ones for
 * the fixtures and the valid requests, and the raw form a case sends them in.
 */

/** A body sent as it is, with its own content type (JSON bodies are serialised by the runner). */
export class RawBody {
  constructor(
    readonly bytes: string | Buffer,
    readonly contentType: string,
  ) {}
}

/** One vCard 4.0 of a contact, `name` its family name. */
export const vcardOf = (name: string, extra = "") =>
  `BEGIN:VCARD\r\nVERSION:4.0\r\nN:${name};Fuzz;;;\r\nFN:Fuzz ${name}\r\n${extra}END:VCARD\r\n`;

/** The boundary of every fuzzed multipart body: a fixed one keeps failures reproducible. */
export const boundary = "----keelfuzz7MA4YWxkTrZu0gW";

type Part = { name: string; value: string | Buffer; fileName?: string };

const multipartType = `multipart/form-data; boundary=${boundary}`;

/** A multipart/form-data body of these parts, in this order; `end: false` leaves out the closing line. */
export function multipartBody(parts: Part[], options: { end?: boolean; contentType?: string } = {}): RawBody {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.fileName === undefined ? "" : `; filename="${part.fileName}"`;
    const type = part.fileName === undefined ? "" : "Content-Type: text/csv\r\n";
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n${type}\r\n`),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, "utf8"),
      Buffer.from("\r\n"),
    );
  }
  if (options.end !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new RawBody(Buffer.concat(chunks), options.contentType ?? multipartType);
}

/** A small CSV of contacts whose headers the import maps by itself. */
export const importCsv = () => "First name,Last name,Email\r\nFuzz,Imported,\r\n";

/** A valid upload of an import: `resource` first, then `file`. */
export const importUpload = (resource = "contacts") =>
  multipartBody([
    { name: "resource", value: resource },
    { name: "file", value: importCsv(), fileName: "fuzz.csv" },
  ]);

/** A hostile body that is not JSON, and the field a 400 answer must name (null: the whole body). */
export type HostileRaw = { label: string; value: RawBody; field: string | null; core?: boolean };

const vcard = (text: string | Buffer) => new RawBody(text, "text/vcard");
const cardsOf = (count: number) => Array.from({ length: count }, (_, i) => vcardOf(`card ${i}`)).join("");

/** Bad text in a card's property, whatever the property: it reaches a contact's field. */
const badTexts: { label: string; value: string; core?: boolean }[] = [
  { core: true, label: "NUL inside", value: "a\u0000b" },
  { label: "control characters", value: "\u0001\u0008\u000b\u001b\u007f" },
  { core: true, label: "lone high surrogate", value: "\ud800" },
  { core: true, label: "100 kB", value: "a".repeat(100_000) },
  { label: "zero-width and bidi characters", value: "\u200b\u202e\ufeff" },
  { label: '"__proto__"', value: "__proto__" },
  { label: '"constructor"', value: "constructor" },
];

/** Whole vCard bodies, card properties, and other media types, for a text/vcard operation. */
export function hostileTexts(): HostileRaw[] {
  const properties = [
    { property: "N", card: (text: string) => vcardOf(text) },
    { property: "EMAIL", card: (text: string) => vcardOf("email", `EMAIL:${text}\r\n`) },
    { property: "TEL", card: (text: string) => vcardOf("tel", `TEL:${text}\r\n`) },
    { property: "TITLE", card: (text: string) => vcardOf("title", `TITLE:${text}\r\n`) },
    { property: "CATEGORIES", card: (text: string) => vcardOf("tags", `CATEGORIES:${text}\r\n`) },
  ];
  const inProperties = properties.flatMap(({ property, card }) =>
    badTexts.map((bad) => ({
      label: `${property}: ${bad.label}`,
      value: vcard(card(bad.value)),
      // NUL anywhere in a body is refused before it is read, naming the body as a whole.
      field: bad.value.includes("\u0000") ? null : `cards.1.${property}`,
      core: bad.core === true && property === "N",
    })),
  );
  return [
    { core: true, label: "empty body", value: vcard(""), field: null },
    { label: "whitespace only", value: vcard(" \r\n\t"), field: null },
    { core: true, label: "NUL only", value: vcard("\u0000"), field: null },
    { label: "not a vCard", value: vcard("hello"), field: null },
    { label: "a JSON object as text/vcard", value: vcard('{"a":1}'), field: null },
    { core: true, label: "BEGIN without END", value: vcard("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Fuzz\r\n"), field: null },
    { label: "END without BEGIN", value: vcard("END:VCARD\r\n"), field: null },
    { label: "5,000 nested BEGIN", value: vcard("BEGIN:VCARD\r\n".repeat(5_000)), field: null },
    { label: "invalid UTF-8", value: vcard(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80])), field: null },
    { core: true, label: "1,001 cards", value: vcard(cardsOf(1_001)), field: null },
    { core: true, label: "body over 1 MB", value: vcard(vcardOf("x".repeat(1_100_000))), field: null },
    {
      label: "10,000 categories",
      value: vcard(vcardOf("many", `CATEGORIES:${"t,".repeat(10_000)}t\r\n`)),
      field: null,
    },
    { label: "property line without a colon", value: vcard(vcardOf("colon", "EMAIL\r\n")), field: null },
    {
      label: "folded line of 100 kB",
      value: vcard(vcardOf("fold", `NOTE:${"a\r\n ".repeat(25_000)}\r\n`)),
      field: null,
    },
    // The same card under other media types: refused (415, or 400 when it is not the JSON it says it is).
    { core: true, label: "as text/plain", value: new RawBody(vcardOf("plain"), "text/plain"), field: null },
    { core: true, label: "as application/json", value: new RawBody(vcardOf("json"), "application/json"), field: null },
    {
      label: "as application/octet-stream",
      value: new RawBody(vcardOf("bytes"), "application/octet-stream"),
      field: null,
    },
    {
      label: "as text/vcard in UTF-16",
      value: new RawBody(vcardOf("utf16"), "text/vcard; charset=utf-16"),
      field: null,
    },
    ...inProperties,
  ];
}

const csvFile = (value: string | Buffer, fileName = "fuzz.csv") => ({ name: "file", value, fileName });

/** Uploads with something missing, misplaced, too large or of another media type. */
export function hostileUploads(): HostileRaw[] {
  const resource = (value: string) => ({ name: "resource", value });
  const upload = (label: string, parts: Parameters<typeof multipartBody>[0], field: string | null, core = false) => ({
    label,
    value: multipartBody(parts),
    field,
    core,
  });
  return [
    upload("no file", [resource("contacts")], "file", true),
    upload("no resource", [csvFile(importCsv())], "resource", true),
    upload("nothing", [], "file"),
    upload("file before resource", [csvFile(importCsv()), resource("contacts")], "resource"),
    upload("unknown resource", [resource("planets"), csvFile(importCsv())], "resource", true),
    upload("resource __proto__", [resource("__proto__"), csvFile(importCsv())], "resource"),
    upload("resource constructor", [resource("constructor"), csvFile(importCsv())], "resource"),
    upload("resource with NUL", [resource("contacts\u0000"), csvFile(importCsv())], "resource"),
    upload("resource of 1.1 MB", [resource("c".repeat(1_100_000)), csvFile(importCsv())], "resource", true),
    upload("empty file", [resource("contacts"), csvFile("")], "file", true),
    upload("binary file", [resource("contacts"), csvFile(Buffer.from([0, 1, 2, 255, 254, 0, 0]))], "file"),
    upload("a ZIP that is no XLSX", [resource("contacts"), csvFile(Buffer.from("PK\u0003\u0004broken"))], "file"),
    upload("header row only", [resource("contacts"), csvFile("First name,Last name\r\n")], "file"),
    upload("two files", [resource("contacts"), csvFile(importCsv()), csvFile(importCsv())], null),
    upload("12 fields", [...Array.from({ length: 11 }, () => resource("contacts")), csvFile(importCsv())], null),
    upload("file name with NUL and ../", [resource("contacts"), csvFile(importCsv(), "../a\u0000.csv")], null),
    {
      label: "no closing boundary",
      value: multipartBody([resource("contacts"), csvFile(importCsv())], { end: false }),
      field: null,
      core: true,
    },
    {
      label: "no boundary parameter",
      value: multipartBody([resource("contacts"), csvFile(importCsv())], { contentType: "multipart/form-data" }),
      field: null,
      core: true,
    },
    {
      label: "a 300-character boundary",
      value: new RawBody(`--${"b".repeat(300)}--\r\n`, `multipart/form-data; boundary=${"b".repeat(300)}`),
      field: null,
      core: true,
    },
    {
      label: "part cut short",
      value: new RawBody(`--${boundary}\r\nContent-Disposition: form-data; name="resource"\r\n\r\ncont`, multipartType),
      field: null,
    },
    {
      core: true,
      label: "a JSON body",
      value: new RawBody('{"resource":"contacts","file":"a,b"}', "application/json"),
      field: null,
    },
    { core: true, label: "a CSV body", value: new RawBody(importCsv(), "text/csv"), field: null },
  ];
}
